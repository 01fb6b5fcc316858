/**
 * @file
 * elf_parse_test.c — host unit tests of the ELF parser (kernel/lib/elf_parse.c).
 *
 * The one thing to know: every malformed file is made here from a real one, the
 * smallest program in build/user (so `make unit` builds the user programs first): one
 * field changed at a time, each case named and checked for the exact reason the parser
 * must give. Nothing binary is committed. Each case is parsed twice, the second time
 * one byte off alignment, and must come out the same; every plan accepted is checked
 * again against elf_promises.h. With --corpus DIR each case is also written to DIR,
 * the fuzzer's seeds (make elf-fuzz).
 *
 *     make unit                                         every host unit test
 *     build/host/elf_parse_test [--corpus DIR] [group...]
 */
#define _POSIX_C_SOURCE 200809L
#include "host_test.h"
#include "elf_promises.h"
#include <dirent.h>
#include <elf_parse.h>
#include <abi/error.h>
#include <abi/layout.h>

#ifndef USER_ELF_DIR
#define USER_ELF_DIR "build/user"       /* the Makefile says where, relative to the tree */
#endif
#define PAGE ELF_PAGE_SIZE
#define MAX_PROGRAMS 16
/* The base program's segments, as user/lib/user.ld lays them out. */
enum { TEXT, RODATA, DATA, BASE_SEGMENTS };

struct program {
	char name[256];
	uint8_t *bytes;
	size_t size;
};

static struct program programs[MAX_PROGRAMS];
static unsigned program_count;
static const struct program *base;      /* the smallest: every malformed file's origin */
static const char *corpus_dir;          /* --corpus: where each case is written, or NULL */
static unsigned corpus_count;

/* The case being built: a copy of base, with room for an extra program-header table. */
static uint8_t *work;
static size_t work_size;
#define WORK_ROOM (64 * sizeof(struct elf64_phdr))

static struct elf64_header *header(void)
{
	return (struct elf64_header *)work;
}

static struct elf64_phdr *phdr(unsigned i)
{
	return (struct elf64_phdr *)(work + header()->phoff) + i;
}

static void fresh(void)
{
	memset(work, 0, base->size + WORK_ROOM);
	memcpy(work, base->bytes, base->size);
	work_size = base->size;
}

/* The end of segment i's last page, as the base has it. */
static uint64_t pages_end(unsigned i)
{
	return (phdr(i)->vaddr + phdr(i)->memsz + PAGE - 1) & ~(PAGE - 1);
}

/* Moves segment i to vaddr, its file offset following within the page (as ELF wants). */
static void move_segment(unsigned i, uint64_t vaddr)
{
	phdr(i)->offset = (phdr(i)->offset & ~(PAGE - 1)) | (vaddr & (PAGE - 1));
	phdr(i)->vaddr = vaddr;
}

/* --- one case ------------------------------------------------------------------------ */

static void corpus_write(const char *what, const void *file, size_t size)
{
	if (!corpus_dir)
		return;
	char path[512];
	int n = snprintf(path, sizeof(path), "%s/%03u-", corpus_dir, corpus_count++);
	for (const char *c = what; *c && n < (int)sizeof(path) - 5; c++)
		path[n++] = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ? *c : '-';
	memcpy(path + n, ".elf", 5);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(file, 1, size, f) != size || fclose(f) != 0) {
		fprintf(stderr, "elf_parse_test: cannot write %s\n", path);
		exit(2);
	}
}

static bool same_plan(const struct elf_image *a, const struct elf_image *b)
{
	if (a->entry != b->entry || a->count != b->count)
		return false;
	for (unsigned i = 0; i < a->count; i++)
		if (a->seg[i].vaddr != b->seg[i].vaddr || a->seg[i].memsz != b->seg[i].memsz ||
		    a->seg[i].offset != b->seg[i].offset || a->seg[i].filesz != b->seg[i].filesz ||
		    a->seg[i].flags != b->seg[i].flags)
			return false;
	return true;
}

static struct elf_image plan;           /* of the last case, for the checks after it */

/* Parses the file with [lo, hi); it must be refused for `want`, or accepted if NULL. */
static void expect_at(int line, const char *what, const uint8_t *file, size_t size,
		      uint64_t lo, uint64_t hi, const char *want)
{
	corpus_write(what, file, size);
	const char *why = NULL, *why_odd = NULL;
	int err = elf_parse(file, size, lo, hi, &plan, &why);

	uint8_t *odd = malloc(size + 1);        /* the same bytes, one off alignment */
	if (!odd) {
		fprintf(stderr, "elf_parse_test: out of host memory\n");
		exit(2);
	}
	memcpy(odd + 1, file, size);
	struct elf_image plan_odd;
	int err_odd = elf_parse(odd + 1, size, lo, hi, &plan_odd, &why_odd);
	free(odd);

	const char *broken = err == E_OK ? elf_broken_promise(file, size, lo, hi, &plan) : NULL;
	bool ok = want ? err == E_INVAL && why && strcmp(why, want) == 0 && plan.count == 0
		       : err == E_OK && !broken;
	check(ok, what, __FILE__, line);
	if (!ok)
		printf("      got %s%s%s, want %s\n", err == E_OK ? "accepted" : why,
		       broken ? ", breaking a promise: " : "", broken ? broken : "",
		       want ? want : "accepted");
	bool same = err_odd == err && why_odd == why && same_plan(&plan_odd, &plan);
	check(same, "the same outcome one byte off alignment", __FILE__, line);
}

#define REFUSED(what, want)                                                            \
	expect_at(__LINE__, what, work, work_size, USER_LOAD_MIN, USER_LOAD_TOP, want)
#define ACCEPTED(what)                                                                 \
	expect_at(__LINE__, what, work, work_size, USER_LOAD_MIN, USER_LOAD_TOP, NULL)

/* The parser's reasons, spelled once. */
#define SHORT           "e_ident: the file is shorter than an ELF64 header"
#define PHOFF           "e_phoff: the program headers run past the end of the file"
#define FILESZ          "p_filesz: larger than p_memsz"
#define MEMSZ           "p_memsz: larger than ELF_MAX_MEMSZ (64 MiB)"
#define OFFSET          "p_offset: the segment's file bytes run past the end of the file"
#define CONGRUENT       "p_offset: not equal to p_vaddr modulo the page size"
#define WX              "p_flags: both writable and executable"
#define BELOW           "p_vaddr: below the load range"
#define PAST_TOP        "p_vaddr + p_memsz: past the top of the load range"
#define SHARED          "p_vaddr: a page shared with another segment"
#define NO_LOAD         "e_phnum: no loadable (PT_LOAD) segment"
#define TOO_MANY        "e_phnum: more than 8 loadable segments"
#define ENTRY           "e_entry: not in an executable segment's file bytes"

/* --- the groups -------------------------------------------------------------------- */

/* Each real program: accepted, each segment as its program header says, laid out as
 * user.ld does (code at USER_IMAGE_BASE, then constants, then data), entry in the code. */
static void real_programs_are_accepted_with_their_segments(void)
{
	CHECK(program_count >= 2);      /* the test program and sigma0, at least */
	for (unsigned k = 0; k < program_count; k++) {
		const struct program *p = &programs[k];
		printf("    %s: %zu bytes\n", p->name, p->size);
		expect_at(__LINE__, p->name, p->bytes, p->size, USER_LOAD_MIN, USER_LOAD_TOP,
			  NULL);
		CHECK(plan.count == BASE_SEGMENTS);
		if (plan.count != BASE_SEGMENTS)
			continue;
		CHECK(plan.seg[TEXT].vaddr == USER_IMAGE_BASE);
		CHECK(plan.seg[TEXT].flags == (PF_R | PF_X));
		CHECK(plan.seg[RODATA].flags == PF_R);
		CHECK(plan.seg[DATA].flags == (PF_R | PF_W));
		/* user.ld's ALIGN(4096); user/t6/odd.ld starts two segments mid-page on
		 * purpose (lab 6's loader must round them). */
		bool odd = strcmp(p->name, "t6-odd.elf") == 0;
		for (unsigned i = 0; i < BASE_SEGMENTS; i++)
			CHECK(odd || plan.seg[i].vaddr % PAGE == 0);
		CHECK(plan.seg[TEXT].vaddr < plan.seg[RODATA].vaddr &&
		      plan.seg[RODATA].vaddr < plan.seg[DATA].vaddr);
		CHECK(plan.entry >= plan.seg[TEXT].vaddr &&
		      plan.entry < plan.seg[TEXT].vaddr + plan.seg[TEXT].filesz);

		/* The tightest range that holds its pages, and one page less either way. */
		const struct elf_segment *last = &plan.seg[DATA];
		uint64_t lo = plan.seg[TEXT].vaddr;
		uint64_t hi = (last->vaddr + last->memsz + PAGE - 1) & ~(PAGE - 1);
		expect_at(__LINE__, "its own pages exactly", p->bytes, p->size, lo, hi, NULL);
		expect_at(__LINE__, "a range not page-aligned, rounded inwards", p->bytes,
			  p->size, lo - PAGE + 1, hi + PAGE - 1, NULL);
		expect_at(__LINE__, "a page less at the top", p->bytes, p->size, lo, hi - 1,
			  PAST_TOP);
		expect_at(__LINE__, "a page less at the bottom", p->bytes, p->size, lo + 1, hi,
			  BELOW);
		expect_at(__LINE__, "an empty range", p->bytes, p->size, hi, lo, PAST_TOP);
		expect_at(__LINE__, "a range at the top of 2^64", p->bytes, p->size,
			  UINT64_MAX, UINT64_MAX, BELOW);
	}
}

/* Cut short at every byte up to the end of the program headers, and at each segment's
 * last file byte: each refused for what is missing; the file up to its last segment
 * byte is enough. */
static void truncated_at_every_boundary(void)
{
	fresh();
	size_t headers_end = header()->phoff + header()->phnum * sizeof(struct elf64_phdr);
	REQUIRE(headers_end <= base->size);
	for (size_t size = 0; size < headers_end; size++) {
		char what[64];
		snprintf(what, sizeof(what), "cut at byte %zu", size);
		expect_at(__LINE__, what, work, size, USER_LOAD_MIN, USER_LOAD_TOP,
			  size < sizeof(struct elf64_header) ? SHORT : PHOFF);
	}
	size_t needed = headers_end;
	for (unsigned i = 0; i < BASE_SEGMENTS; i++) {
		size_t end = phdr(i)->offset + phdr(i)->filesz;
		if (phdr(i)->filesz != 0)
			expect_at(__LINE__, "cut before a segment's last file byte", work,
				  end - 1, USER_LOAD_MIN, USER_LOAD_TOP, OFFSET);
		needed = end > needed ? end : needed;
	}
	expect_at(__LINE__, "cut after the last segment byte", work, needed, USER_LOAD_MIN,
		  USER_LOAD_TOP, NULL);
}

static void header_fields_are_checked(void)
{
	static const struct {
		unsigned at;            /* the byte changed */
		uint8_t value;
		const char *what, *want;
	} bytes[] = {
		{ 0, 0x7e, "magic byte 0", "e_ident: no ELF magic" },
		{ 1, 'e', "magic byte 1", "e_ident: no ELF magic" },
		{ 2, 'l', "magic byte 2", "e_ident: no ELF magic" },
		{ 3, 'f', "magic byte 3", "e_ident: no ELF magic" },
		{ EI_CLASS, 1, "ELF32", "e_ident[EI_CLASS]: not ELF64" },
		{ EI_CLASS, 0, "no class", "e_ident[EI_CLASS]: not ELF64" },
		{ EI_DATA, 2, "big-endian", "e_ident[EI_DATA]: not little-endian" },
		{ EI_DATA, 0, "no byte order", "e_ident[EI_DATA]: not little-endian" },
		{ EI_VERSION, 0, "ident version 0", "e_ident[EI_VERSION]: not 1" },
	};
	for (unsigned i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++) {
		fresh();
		work[bytes[i].at] = bytes[i].value;
		REFUSED(bytes[i].what, bytes[i].want);
	}
	fresh();
	header()->type = 3;
	REFUSED("a shared object (ET_DYN)", "e_type: not an executable (ET_EXEC)");
	fresh();
	header()->type = 1;
	REFUSED("a relocatable object (ET_REL)", "e_type: not an executable (ET_EXEC)");
	fresh();
	header()->machine = 3;
	REFUSED("an i386 executable", "e_machine: not x86-64");
	fresh();
	header()->machine = 183;
	REFUSED("an AArch64 executable", "e_machine: not x86-64");
	fresh();
	header()->version = 2;
	REFUSED("e_version 2", "e_version: not 1");
	static const uint16_t phentsizes[] = { 0, 32, 55, 57, 64, 0xffff };
	for (unsigned i = 0; i < sizeof(phentsizes) / sizeof(phentsizes[0]); i++) {
		fresh();
		header()->phentsize = phentsizes[i];
		REFUSED("a wrong e_phentsize",
			"e_phentsize: not the size of an ELF64 program header");
	}
	fresh();
	header()->phnum = PN_XNUM;
	REFUSED("e_phnum PN_XNUM", "e_phnum: PN_XNUM (a count kept elsewhere) is not supported");

	/* e_phoff: past the end, at the end, one header short, and wrapping 2^64 */
	const uint64_t phoffs[] = { UINT64_MAX, UINT64_MAX - 55, -(uint64_t)3 * 56,
				    -(uint64_t)56, work_size, work_size + 1,
				    work_size - 3 * 56 + 1, 1ull << 63 };
	for (unsigned i = 0; i < sizeof(phoffs) / sizeof(phoffs[0]); i++) {
		fresh();
		REQUIRE(header()->phnum == BASE_SEGMENTS);
		header()->phoff = phoffs[i];
		REFUSED("e_phoff out of the file", PHOFF);
	}
	/* The table moved to the very end of the file: still found, still fine. */
	fresh();
	memcpy(work + work_size, phdr(0), BASE_SEGMENTS * sizeof(struct elf64_phdr));
	header()->phoff = work_size;
	work_size += BASE_SEGMENTS * sizeof(struct elf64_phdr);
	ACCEPTED("the program headers at the end of the file");
	work_size--;
	REFUSED("the same, one byte short", PHOFF);
}

static void segment_sizes_are_bounded(void)
{
	fresh();
	phdr(DATA)->filesz = phdr(DATA)->memsz + 1;
	REFUSED("p_filesz one more than p_memsz", FILESZ);
	fresh();
	phdr(DATA)->memsz = 0;
	phdr(DATA)->filesz = 1;
	REFUSED("an empty segment with file bytes", FILESZ);
	fresh();
	phdr(DATA)->memsz = ELF_MAX_MEMSZ;
	ACCEPTED("p_memsz of exactly ELF_MAX_MEMSZ");
	phdr(DATA)->memsz = ELF_MAX_MEMSZ + 1;
	REFUSED("p_memsz one more than ELF_MAX_MEMSZ", MEMSZ);
	phdr(DATA)->memsz = UINT64_MAX;
	REFUSED("p_memsz of 2^64 - 1", MEMSZ);
	phdr(DATA)->memsz = UINT64_MAX;
	phdr(DATA)->filesz = UINT64_MAX;
	REFUSED("p_filesz and p_memsz of 2^64 - 1", MEMSZ);
}

static void file_bytes_stay_in_the_file(void)
{
	fresh();
	REQUIRE(phdr(TEXT)->filesz > 0);
	uint64_t in_page = phdr(TEXT)->vaddr & (PAGE - 1);
	/* past the end; so far that p_offset + p_filesz wraps to a small number; 2^63 */
	const uint64_t offsets[] = { (work_size + PAGE) & ~(PAGE - 1),
				     (UINT64_MAX & ~(PAGE - 1)),
				     ((1ull << 63) & ~(PAGE - 1)) };
	for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		fresh();
		phdr(TEXT)->offset = offsets[i] | in_page;
		REFUSED("p_offset past the end", OFFSET);
	}
	fresh();
	phdr(TEXT)->filesz = work_size - phdr(TEXT)->offset;
	phdr(TEXT)->memsz = phdr(TEXT)->filesz;
	move_segment(RODATA, pages_end(TEXT));
	move_segment(DATA, pages_end(RODATA));
	ACCEPTED("file bytes up to the last byte of the file");
	phdr(TEXT)->filesz++;
	phdr(TEXT)->memsz++;
	REFUSED("file bytes one past the end", OFFSET);
	fresh();
	phdr(DATA)->offset = UINT64_MAX & ~(PAGE - 1);
	phdr(DATA)->filesz = 0;
	ACCEPTED("no file bytes, p_offset anywhere");
	fresh();
	phdr(TEXT)->offset += 1;
	REFUSED("p_offset one byte off p_vaddr's place in its page", CONGRUENT);
	fresh();
	phdr(RODATA)->vaddr += 8;
	REFUSED("p_vaddr 8 bytes off p_offset's place in its page", CONGRUENT);
}

static void segments_stay_in_the_load_range(void)
{
	static const struct {
		uint64_t vaddr, memsz;
		const char *what, *want;
	} places[] = {
		{ 0, PAGE, "data on the null page", BELOW },
		{ 0xfff, 1, "data on the null page's last byte", BELOW },
		{ USER_LOAD_MIN, PAGE, "data on the first page allowed", NULL },
		{ USER_LOAD_TOP - PAGE, PAGE, "data on the last page allowed", NULL },
		{ USER_LOAD_TOP - PAGE, PAGE + 1, "data one byte past the load top", PAST_TOP },
		{ USER_LOAD_TOP - 1, 1, "data on the byte below the load top", NULL },
		{ USER_UTCB_BASE, PAGE, "data onto the UTCB area", PAST_TOP },
		{ USER_UTCB_BASE + 5 * PAGE, 0x10, "data onto the sixth UTCB", PAST_TOP },
		{ USER_STACK_TOP - PAGE, PAGE, "data onto the root's stack", PAST_TOP },
		{ USER_BOOT_INFO, 0x10, "data onto the boot-info page", PAST_TOP },
		{ USER_TOP - PAGE, PAGE, "data on the last user page", PAST_TOP },
		{ USER_TOP, PAGE, "data at the first non-user address", PAST_TOP },
		{ 0xffff800000000000ull, PAGE, "data in the kernel's direct map", PAST_TOP },
		{ 0xffffffff80000000ull, PAGE, "data over the kernel image", PAST_TOP },
		{ UINT64_MAX - PAGE + 1, 2 * PAGE, "data wrapping around 2^64", PAST_TOP },
		{ UINT64_MAX, 1, "data on the last byte of 2^64", PAST_TOP },
	};
	for (unsigned i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		fresh();
		move_segment(DATA, places[i].vaddr);
		phdr(DATA)->memsz = places[i].memsz;
		phdr(DATA)->filesz = 0;
		expect_at(__LINE__, places[i].what, work, work_size, USER_LOAD_MIN, USER_LOAD_TOP,
			  places[i].want);
	}
	/* The code below a range that starts above it. */
	fresh();
	expect_at(__LINE__, "code below load_min", work, work_size, phdr(TEXT)->vaddr + PAGE,
		  USER_LOAD_TOP, BELOW);
}

/* No page in two segments, however they meet, in either order; a page apart is fine. */
static void no_page_is_shared(void)
{
	fresh();
	REQUIRE((phdr(TEXT)->vaddr + phdr(TEXT)->memsz) % PAGE != 0);   /* room after code */
	move_segment(RODATA, phdr(TEXT)->vaddr);
	REFUSED("constants over the code", SHARED);
	fresh();
	move_segment(RODATA, phdr(TEXT)->vaddr + phdr(TEXT)->memsz);
	REFUSED("constants right after the code, in its last page", SHARED);
	fresh();
	move_segment(RODATA, pages_end(TEXT) - 1);
	REFUSED("constants from the last byte of the code's last page", SHARED);
	fresh();
	move_segment(RODATA, pages_end(TEXT));
	ACCEPTED("constants in the page after the code's last");
	fresh();
	move_segment(DATA, phdr(RODATA)->vaddr + phdr(RODATA)->memsz);
	REFUSED("data in the constants' last page", SHARED);
	fresh();
	move_segment(DATA, phdr(TEXT)->vaddr - PAGE);
	phdr(DATA)->memsz = PAGE + 1;
	REFUSED("data ending one byte into the code (listed after it)", SHARED);
	fresh();
	struct elf64_phdr text = *phdr(TEXT);           /* data first in the table */
	*phdr(TEXT) = *phdr(DATA);
	*phdr(DATA) = text;
	move_segment(TEXT, text.vaddr + text.memsz);
	REFUSED("data listed first, code after it in its page", SHARED);
	fresh();
	phdr(DATA)->vaddr = phdr(TEXT)->vaddr;
	phdr(DATA)->offset = phdr(TEXT)->offset;
	phdr(DATA)->flags = phdr(TEXT)->flags;
	phdr(DATA)->memsz = phdr(DATA)->filesz = phdr(TEXT)->filesz;
	REFUSED("the code listed twice", SHARED);
}

static void no_segment_is_writable_and_executable(void)
{
	fresh();
	phdr(TEXT)->flags |= PF_W;
	REFUSED("writable code", WX);
	fresh();
	phdr(DATA)->flags |= PF_X;
	REFUSED("executable data", WX);
	fresh();
	phdr(DATA)->flags = PF_W | PF_X;
	REFUSED("data W+X, not readable", WX);
	fresh();
	phdr(RODATA)->flags |= 0x0ff00000 | 0xf0000000 | 8;     /* OS, CPU, unknown bits */
	ACCEPTED("flags beyond R, W, X: ignored");
	CHECK(plan.seg[RODATA].flags == PF_R);
	fresh();
	phdr(TEXT)->flags = PF_X;
	ACCEPTED("execute-only code");
}

static void entry_is_a_code_byte_from_the_file(void)
{
	fresh();
	uint64_t code = phdr(TEXT)->vaddr, code_end = code + phdr(TEXT)->filesz;
	static const char *const what[] = { "entry 0", "entry below the code",
					    "entry in the constants", "entry in the data",
					    "entry in the kernel" };
	const uint64_t entries[] = { 0, code - 1, phdr(RODATA)->vaddr, phdr(DATA)->vaddr,
				     0xffffffff80000000ull };
	for (unsigned i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		fresh();
		header()->entry = entries[i];
		REFUSED(what[i], ENTRY);
	}
	fresh();
	header()->entry = code_end - 1;
	ACCEPTED("entry on the code's last file byte");
	fresh();
	phdr(TEXT)->memsz += 0x10;                      /* zeroed bytes after the code */
	header()->entry = code_end;
	REFUSED("entry in the code's zero fill", ENTRY);
	fresh();
	header()->entry = code_end;
	REFUSED("entry just past the code", ENTRY);
}

/* Appends a program-header table of n entries to the base: its code, then n - 1
 * one-page bss segments a page apart. */
static void many_segments(unsigned n)
{
	fresh();
	REQUIRE(n <= WORK_ROOM / sizeof(struct elf64_phdr));
	struct elf64_phdr *table = (struct elf64_phdr *)(work + work_size);
	table[0] = *phdr(TEXT);
	for (unsigned i = 1; i < n; i++)
		table[i] = (struct elf64_phdr){ .type = PT_LOAD, .flags = PF_R | PF_W,
						.vaddr = 0x10000000 + i * 2 * PAGE,
						.memsz = PAGE, .align = PAGE };
	header()->phoff = work_size;
	header()->phnum = (uint16_t)n;
	work_size += n * sizeof(struct elf64_phdr);
}

static void loadable_segments_are_counted(void)
{
	fresh();
	for (unsigned i = 0; i < header()->phnum; i++)
		phdr(i)->type = 4;                      /* PT_NOTE */
	REFUSED("no PT_LOAD at all", NO_LOAD);
	fresh();
	header()->phnum = 0;
	REFUSED("no program headers", NO_LOAD);
	fresh();
	for (unsigned i = 0; i < header()->phnum; i++)
		phdr(i)->memsz = phdr(i)->filesz = 0;
	REFUSED("only empty PT_LOADs", NO_LOAD);
	many_segments(ELF_MAX_SEGMENTS);
	ACCEPTED("ELF_MAX_SEGMENTS segments");
	CHECK(plan.count == ELF_MAX_SEGMENTS);
	many_segments(ELF_MAX_SEGMENTS + 1);
	REFUSED("one segment too many", TOO_MANY);
	many_segments(60);
	REFUSED("60 segments", TOO_MANY);
	many_segments(60);
	for (unsigned i = ELF_MAX_SEGMENTS; i < 60; i++)
		phdr(i)->memsz = 0;
	ACCEPTED("60 PT_LOADs, all but ELF_MAX_SEGMENTS empty");

	/* Other kinds of program header: skipped, but for PT_INTERP. */
	fresh();
	phdr(RODATA)->type = 3;
	REFUSED("a PT_INTERP", "p_type: PT_INTERP (a dynamic linker is needed)");
	fresh();
	phdr(RODATA)->type = 0x6474e551;                /* PT_GNU_STACK */
	ACCEPTED("a PT_GNU_STACK in place of the constants");
	CHECK(plan.count == BASE_SEGMENTS - 1);
	fresh();
	move_segment(DATA, 0xffffffff80000000ull);
	phdr(DATA)->memsz = phdr(DATA)->filesz = 0;
	ACCEPTED("an empty PT_LOAD in kernel space, skipped");
	CHECK(plan.count == BASE_SEGMENTS - 1);
}

/* --- the real programs, and running ------------------------------------------------- */

static bool program_read(struct program *p, const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	long size = -1;
	if (f && fseek(f, 0, SEEK_END) == 0)
		size = ftell(f);
	if (size <= 0 || fseek(f, 0, SEEK_SET) != 0 || !(p->bytes = malloc((size_t)size)) ||
	    fread(p->bytes, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "elf_parse_test: cannot read %s\n", path);
		if (f)
			fclose(f);
		return false;
	}
	fclose(f);
	p->size = (size_t)size;
	snprintf(p->name, sizeof(p->name), "%s", name);
	return true;
}

/* Every *.elf in dir; base is the smallest. False (and why, on stderr) if none. */
static bool programs_read(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "elf_parse_test: no %s (build the user programs: make user)\n",
			dir);
		return false;
	}
	for (struct dirent *e; (e = readdir(d)) && program_count < MAX_PROGRAMS;) {
		size_t n = strlen(e->d_name);
		if (n > 4 && strcmp(e->d_name + n - 4, ".elf") == 0 &&
		    program_read(&programs[program_count], dir, e->d_name))
			program_count++;
	}
	closedir(d);
	for (unsigned k = 0; k < program_count; k++)
		if (!base || programs[k].size < base->size)
			base = &programs[k];
	if (!base) {
		fprintf(stderr, "elf_parse_test: no program in %s\n", dir);
		return false;
	}
	work = malloc(base->size + WORK_ROOM);
	return work != NULL;
}

static const struct host_group groups[] = {
	GROUP(real_programs_are_accepted_with_their_segments),
	GROUP(truncated_at_every_boundary),
	GROUP(header_fields_are_checked),
	GROUP(segment_sizes_are_bounded),
	GROUP(file_bytes_stay_in_the_file),
	GROUP(segments_stay_in_the_load_range),
	GROUP(no_page_is_shared),
	GROUP(no_segment_is_writable_and_executable),
	GROUP(entry_is_a_code_byte_from_the_file),
	GROUP(loadable_segments_are_counted),
};

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "--corpus") == 0) {
		corpus_dir = argv[2];
		argv[2] = argv[0];              /* host_run sees the groups alone */
		argv += 2;
		argc -= 2;
	}
	if (!programs_read(USER_ELF_DIR))
		return 2;
	printf("elf_parse_test: %u programs in %s; malformed files made from %s\n",
	       program_count, USER_ELF_DIR, base->name);
	int status = host_run(groups, sizeof groups / sizeof groups[0], NULL, argc, argv);
	for (unsigned k = 0; k < program_count; k++)
		free(programs[k].bytes);
	free(work);
	return status;
}
