/**
 * @file
 * ext2_fuzz.c — a libFuzzer harness over the file server's ext2 code (make ext2-fuzz).
 *
 * The one thing to know: the input is a disk image, and each run is one whole session
 * of ext2_harness.h over it (mount, walk and read everything, write, sync, mount
 * again) through a cache of 32 blocks, small enough that replacement and write-back
 * run all the time. The input is copied into a buffer of whole 4 KiB pages, as many
 * as its superblock's block count asks (zeros after the input: the seeds are images
 * without their trailing zeros), which the session may write; it is at most 4 MiB. A broken rule of the
 * harness aborts and libFuzzer keeps the input; ASan and UBSan catch the rest, and
 * -timeout a session that does not end.
 *
 *     make ext2-fuzz EXT2_FUZZ_TIME=60
 *     build/host/ext2_fuzz build/ext2-fuzz/crash-...      replay one input
 */
#include "ext2_harness.h"
#include <stdlib.h>

#define FUZZ_IMAGE_MAX          (4u << 20)
#define FUZZ_CACHE_BLOCKS       32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t image[FUZZ_IMAGE_MAX] __attribute__((aligned(4096)));

static void harness_broken(const char *what, const char *where, long detail)
{
	fprintf(stderr, "ext2_fuzz: %s: %s (%ld)\n", where, what, detail);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_IMAGE_MAX)
		return 0;
	size_t padded = harness_disk_size(data, size, FUZZ_IMAGE_MAX);
	memcpy(image, data, size);
	memset(image + size, 0, padded - size);
	harness_run(image, padded, FUZZ_CACHE_BLOCKS);
	return 0;
}
