#include "numfmt.h"

#include <stdio.h>
#include <stdlib.h>

char *numfmt_double(char buf[NUMFMT_DOUBLE_MAX], double value)
{
	int precision;

	/*
	 * %.17g always round-trips; fewer digits often do, and read better.
	 * %g drops trailing zeros, and a value whose shortest form has k <= 15
	 * digits sits far closer to it than half a unit of the 15th digit, so
	 * %.15g already prints that shortest form: no need to try fewer.
	 */
	for (precision = 15; precision < 17; precision++) {
		snprintf(buf, NUMFMT_DOUBLE_MAX, "%.*g", precision, value);
		if (strtod(buf, NULL) == value)
			return buf;
	}
	snprintf(buf, NUMFMT_DOUBLE_MAX, "%.17g", value);
	return buf;
}
