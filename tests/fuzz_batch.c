/*
 * libFuzzer target for the batch parser: any bytes in, and batch_load_text
 * must return a status without crashing, leaking or hanging.  Whatever it
 * accepts is then described and quoted, as sgdplot does with it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "batch.h"
#include "plot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sgd_batch batch;
	struct sgd_error err;
	char text[2048], quoted[1024];
	size_t i;

	batch_init(&batch);
	if (batch_load_text(&batch, "fuzz.ini", (const char *)data, size,
			    &err) == SGD_OK) {
		for (i = 0; i < batch.count; i++) {
			batch_describe(&batch.configs[i], text, sizeof(text));
			plot_quote(quoted, sizeof(quoted),
				   batch.configs[i].title);
		}
	} else if (err.status != SGD_ERR_BATCH &&
		   err.status != SGD_ERR_NOMEM) {
		abort(); /* a batch error is the only way to refuse text */
	}
	batch_release(&batch);
	return 0;
}
