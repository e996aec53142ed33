#define _POSIX_C_SOURCE 200809L
#include "vector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SVG_KEY "<!-- sgdplot-key: "
#define PDF_KEY "%sgdplot-key: " /* vector_tag() writes it as %% */
#define PDF_DATE "/CreationDate (D:"

/* memmem is a GNU extension: this is the plain loop. */
static const char *find(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, n))
			return hay + i;
	return NULL;
}

/* The document without trailing blanks. */
static size_t trimmed(const char *data, size_t len)
{
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r' ||
			   data[len - 1] == ' '))
		len--;
	return len;
}

enum sgd_status vector_check(enum sgd_format format, const char *data,
			     size_t len, struct sgd_error *err)
{
	size_t end = trimmed(data, len);

	if (format == SGD_FORMAT_SVG) {
		if (len < 5 || memcmp(data, "<?xml", 5) != 0 ||
		    !find(data, len < 4096 ? len : 4096, "<svg"))
			return sgd_error_set(err, SGD_ERR_PNG_INVALID,
					     "not an svg: no XML declaration "
					     "and <svg> element");
		if (end < 6 || memcmp(data + end - 6, "</svg>", 6) != 0)
			return sgd_error_set(err, SGD_ERR_PNG_INVALID,
					     "corrupt svg: it does not end "
					     "with </svg>");
		return SGD_OK;
	}
	if (len < 5 || memcmp(data, "%PDF-", 5) != 0)
		return sgd_error_set(err, SGD_ERR_PNG_INVALID,
				     "not a pdf: no %%PDF- header");
	if (end < 5 || memcmp(data + end - 5, "%%EOF", 5) != 0)
		return sgd_error_set(err, SGD_ERR_PNG_INVALID,
				     "corrupt pdf: it does not end with "
				     "%%%%EOF");
	return SGD_OK;
}

enum sgd_status vector_tag(enum sgd_format format, const char *data,
			   size_t len, const char *software, const char *key,
			   char **out, size_t *out_len, struct sgd_error *err)
{
	char note[512];
	size_t note_len, head;
	char *buf;

	if (format == SGD_FORMAT_SVG) {
		const char *nl = memchr(data, '\n', len);

		note_len = (size_t)snprintf(note, sizeof(note),
					    "<!-- %s -->\n" SVG_KEY "%s -->\n",
					    software, key);
		head = nl ? (size_t)(nl - data) + 1 : len;
	} else {
		note_len = (size_t)snprintf(note, sizeof(note),
					    "%%%s\n%%sgdplot-key: %s\n",
					    software, key);
		head = len; /* after %%EOF */
	}
	buf = malloc(len + note_len + 1);
	if (!buf)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	memcpy(buf, data, head);
	memcpy(buf + head, note, note_len);
	memcpy(buf + head + note_len, data + head, len - head);
	if (format == SGD_FORMAT_PDF) {
		char *date = (char *)find(buf, len, PDF_DATE);

		/* D:YYYYMMDDHHmmSS: fourteen digits, overwritten in place. */
		if (date && date + strlen(PDF_DATE) + 14 <= buf + len)
			memcpy(date + strlen(PDF_DATE), "19700101000000", 14);
	}
	*out = buf;
	*out_len = len + note_len;
	return SGD_OK;
}

int vector_key(enum sgd_format format, const char *data, size_t len,
	       char *key, size_t size)
{
	const char *tag = format == SGD_FORMAT_SVG ? SVG_KEY : PDF_KEY;
	/* The SVG's key is near its start, the PDF's at its very end. */
	const char *from = data;
	size_t span = len, n;
	const char *p;

	if (format == SGD_FORMAT_PDF && len > 512) {
		from = data + len - 512;
		span = 512;
	} else if (format == SGD_FORMAT_SVG && len > 4096) {
		span = 4096;
	}
	p = find(from, span, tag);
	if (!p)
		return 0;
	p += strlen(tag);
	n = strspn(p, "0123456789abcdef");
	if (n == 0 || n >= size || p + n > from + span)
		return 0;
	memcpy(key, p, n);
	key[n] = '\0';
	return 1;
}
