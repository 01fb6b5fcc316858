/**
 * @file
 * user_access.c — checking user ranges, and copying through them.
 *
 * The one thing to know: the check is arithmetic on the numbers alone, and must hold
 * for any 64-bit values a hostile program passes: a length that wraps around the
 * address space, an address in the kernel half, a non-canonical address.
 */
#include <user_access.h>
#include <abi/error.h>
#include <abi/layout.h>

size_t user_copy(void *dst, const void *src, size_t n);

bool user_range_ok(uint64_t addr, uint64_t len)
{
	/* LAB 3 BEGIN: checking a user range */
	/* Written so that nothing overflows: addr + len could wrap past zero. */
	return addr < USER_TOP && len <= USER_TOP - addr;
	/* LAB 3 STUB
	// Accept [addr, addr + len) only if all of it is below USER_TOP. Beware of
	// addr + len wrapping around 2^64.
	(void)addr;
	(void)len;
	return false;
	*/
	/* LAB 3 END */
}

int copy_from_user(void *dst, uint64_t user_src, size_t len)
{
	if (!user_range_ok(user_src, len))
		return E_FAULT;
	return user_copy(dst, (const void *)user_src, len) ? E_FAULT : E_OK;
}

int copy_to_user(uint64_t user_dst, const void *src, size_t len)
{
	if (!user_range_ok(user_dst, len))
		return E_FAULT;
	return user_copy((void *)user_dst, src, len) ? E_FAULT : E_OK;
}
