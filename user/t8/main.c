/**
 * @file
 * main.c — bin/t8, lab 8's test process: a client of the file server that the root
 * starts in a role and may kill.
 *
 * The one thing to know: `t8 hold N PATH` opens PATH N times and then waits for ever,
 * so that the root can kill a process holding N open files and ask the server whether
 * it let go of them (fs.h: the server learns of the death through the session's token).
 * `t8 mmap PATH SIZE KEY` maps the file and has a thread read it through the mapping
 * (fs_mmap.c: the file server pages it), then writes 8 bytes to it and reads them back
 * through the mapping. `t8 churn KEY FIRST` writes, renames and unlinks files from /churn/cFIRST on for ever,
 * never syncing, while the root (which wrote and synced the ones before) cuts the power
 * at a moment of its choosing (lab 8's power-cut test).
 */
#include <fs.h>
#include <process.h>
#include <stdlib.h>
#include <challenge.h>

static struct fs_conn conn;

static uint8_t buf[32768];

/* File i of the churn: content(key ^ i) (grade/lab8.py's content()), size from sizes,
 * the sequence of key (the root's files take its first draws). */
static long churn_file(uint64_t key, unsigned i, struct challenge *sizes)
{
	char path[32];
	snprintf(path, sizeof(path), "/churn/c%u", i);
	unsigned long size = challenge_range(sizes, 1, sizeof(buf));
	for (unsigned long b = 0; b < size; b++) {
		struct challenge w = { (key ^ i) ^ (b / 8) };
		buf[b] = (uint8_t)(challenge_next(&w) >> (8 * (b % 8)));
	}
	uint64_t dummy;
	long h = fs_open(&conn, path, O_WRONLY | O_CREAT | O_TRUNC, &dummy);
	long w = h >= 0 ? fs_write(&conn, h, 0, buf, size, NULL) : h;
	if (h >= 0)
		fs_close(&conn, h);
	return w == (long)size ? 0 : (w < 0 ? w : E_IO);
}

/* Files from FIRST on, renamed and unlinked, for ever: never synced. */
static int churn(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	uint64_t key = strtoul(argv[2], NULL, 16);
	unsigned first = (unsigned)strtoul(argv[3], NULL, 10);
	struct challenge sizes = { key };
	for (unsigned i = 0; i < first; i++)
		challenge_range(&sizes, 1, sizeof(buf));        /* the root's files' sizes */
	printf("t8: churn from c%u on\n", first);
	char from[32], to[32];
	for (unsigned i = first;; i++) {
		churn_file(key, i, &sizes);
		snprintf(from, sizeof(from), "/churn/c%u", i);
		snprintf(to, sizeof(to), "/churn/r%u", i);
		if (i % 3 == 0)
			fs_rename(&conn, from, to);
		if (i % 5 == 0)
			fs_unlink(&conn, i % 3 ? from : to);
		if (i % 7 == 0) {
			fs_mkdir(&conn, "/churn/d");
			fs_rmdir(&conn, "/churn/d");
		}
	}
}

/* --- mmap PATH SIZE KEY: the file mapped, read by a thread the mapper pages -------- */

#define MAP_VA          0x0000580000000000ul

static volatile const uint8_t *map_at;
static volatile unsigned long map_len;
static volatile uint64_t map_digest;
static long done_ep;
static char worker_stack[16384] __attribute__((aligned(16)));

/* grade/lab8.py's file_digest of map_len bytes at map_at, read through the mapping. */
static void map_reader(unsigned long unused)
{
	(void)unused;
	uint64_t h = DIGEST_START, word = 0;
	unsigned long n = map_len;
	for (unsigned long i = 0; i < n; i++) {
		word |= (uint64_t)map_at[i] << (8 * (i % 8));
		if (i % 8 == 7) {
			h = digest_add(h, word);
			word = 0;
		}
	}
	if (n % 8)
		h = digest_add(h, word);
	map_digest = digest_add(h, n);
	struct msg m = { .tag = IPC_TAG(0, 0, 0) };
	ipc_send(done_ep, &m, IPC_TIMEOUT_INFINITE);
}

static uint64_t map_read(const void *at, unsigned long len)
{
	map_at = at;
	map_len = len;
	struct msg m;
	if (fs_thread_spawn(map_reader, 0, worker_stack, sizeof(worker_stack)) < 0)
		return 0;
	ipc_receive(done_ep, &m, IPC_TIMEOUT_INFINITE);
	return map_digest;
}

static int mmap_role(int argc, char **argv)
{
	if (argc < 5)
		return 2;
	unsigned long size = strtoul(argv[3], NULL, 10);
	uint64_t key = strtoul(argv[4], NULL, 16);
	done_ep = sys_endpoint_create();
	long r = fs_mmap(argv[2], (void *)MAP_VA, size);
	uint64_t d = r == 0 ? map_read((const void *)MAP_VA, size) : 0;
	printf("t8: mmap %s -> %ld: %lu bytes read through %lu faults, digest %lx\n", argv[2],
	       r, size, fs_mmap_faults(), (unsigned long)d);
	/* A write to the file: the server takes its mapped page back, and the next
	 * touch faults in the new bytes. */
	struct challenge c = { key };
	unsigned long page = challenge_range(&c, 0, (size - 1) / 4096);
	uint64_t dummy;
	long h = fs_open(&conn, argv[2], O_WRONLY, &dummy);
	uint64_t word = challenge_next(&c);
	long w = h >= 0 ? fs_write(&conn, h, page * 4096, &word, 8, NULL) : h;
	if (h >= 0)
		fs_close(&conn, h);
	unsigned long before = fs_mmap_faults();
	uint64_t seen;
	map_read((const void *)(MAP_VA + page * 4096), 8);
	seen = *(volatile const uint64_t *)(MAP_VA + page * 4096);
	printf("t8: mmap: wrote 8 bytes at page %lu (%ld); the mapping shows them: %s, "
	       "%lu more fault\n", page, w, seen == word ? "yes" : "no",
	       fs_mmap_faults() - before);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || (strcmp(argv[1], "hold") != 0 && strcmp(argv[1], "churn") != 0 &&
			 strcmp(argv[1], "mmap") != 0)) {
		printf("t8: usage: t8 hold N PATH | t8 churn KEY FIRST | t8 mmap PATH SIZE KEY\n");
		return 2;
	}
	long r = fs_connect(&conn, (long)proc->names_slot, (void *)FS_CLIENT_BUF);
	if (r != 0) {
		printf("t8: no file server (%ld)\n", r);
		return 1;
	}
	if (strcmp(argv[1], "churn") == 0)
		return churn(argc, argv);
	if (strcmp(argv[1], "mmap") == 0)
		return mmap_role(argc, argv);
	if (argc < 4)
		return 2;
	unsigned long n = strtoul(argv[2], NULL, 10), held = 0;
	long first = -1;
	/* The last open comes after the line: the root, which kills us once it sees all
	 * n open, then has the line too. */
	for (unsigned long i = 0; i + 1 < n; i++) {
		uint64_t size;
		long h = fs_open(&conn, argv[3], O_RDONLY, &size);
		held += h >= 0;
		if (first < 0)
			first = h;
	}
	/* What the file holds (the grader's seeded bytes), read through one handle. */
	long got = first >= 0 ? fs_read(&conn, first, 0, buf, sizeof(buf)) : first;
	uint64_t d = DIGEST_START;
	for (long i = 0; i < got; i++)
		d = digest_add(d, buf[i]);
	printf("t8: holding %lu of %lu; the file's %ld bytes have digest %lx\n", held + 1, n,
	       got, (unsigned long)d);
	uint64_t size;
	if (n > 0)
		fs_open(&conn, argv[3], O_RDONLY, &size);
	long ep = sys_endpoint_create();
	struct msg m;
	for (;;)
		ipc_receive(ep, &m, IPC_TIMEOUT_INFINITE);
}
