#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_texts[SGD_STATUS_COUNT] = {
	[SGD_OK] = "ok",
	[SGD_ERR_USAGE] = "usage error",
	[SGD_ERR_BATCH] = "batch file error",
	[SGD_ERR_IO] = "input/output error",
	[SGD_ERR_NOMEM] = "out of memory",
	[SGD_ERR_GNUPLOT_MISSING] = "gnuplot not found",
	[SGD_ERR_GNUPLOT_TERMINAL] = "gnuplot lacks the pngcairo terminal",
	[SGD_ERR_GNUPLOT_FAILED] = "gnuplot failed",
	[SGD_ERR_GNUPLOT_TIMEOUT] = "gnuplot timed out",
	[SGD_ERR_PNG_INVALID] = "invalid png",
	[SGD_ERR_INTERRUPTED] = "interrupted",
};

void sgd_error_init(struct sgd_error *err)
{
	err->status = SGD_OK;
	err->msg[0] = '\0';
}

enum sgd_status sgd_error_set(struct sgd_error *err, enum sgd_status status,
			      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->status = status;
	return status;
}

enum sgd_status sgd_error_errno(struct sgd_error *err, enum sgd_status status,
				int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t used;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	used = strlen(err->msg);
	snprintf(err->msg + used, sizeof(err->msg) - used, ": %s",
		 strerror(errnum));
	err->status = status;
	return status;
}

const char *sgd_status_text(enum sgd_status status)
{
	if ((int)status < 0 || status >= SGD_STATUS_COUNT)
		return "unknown error";
	return status_texts[status];
}

int sgd_status_exit_code(enum sgd_status status)
{
	switch (status) {
	case SGD_OK:
		return 0;
	case SGD_ERR_USAGE:
	case SGD_ERR_BATCH:
		return 2;
	case SGD_ERR_INTERRUPTED:
		return 130;
	default:
		return 1;
	}
}
