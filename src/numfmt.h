/*
 * numfmt.h - the one way sgdplot writes a double as text.
 *
 * numfmt_double() writes the shortest decimal that strtod() reads back as
 * the same double (what Python's repr() prints), so data files and
 * summaries are exact and still read as 0.05 rather than
 * 0.050000000000000003.
 */
#ifndef SGD_NUMFMT_H
#define SGD_NUMFMT_H

#define NUMFMT_DOUBLE_MAX 32 /* enough for any double, with its NUL */

/* Writes `value` into `buf` (NUMFMT_DOUBLE_MAX bytes) and returns `buf`. */
char *numfmt_double(char buf[NUMFMT_DOUBLE_MAX], double value);

#endif
