/**
 * @file
 * fs_client.c — the file server's client stubs (protocol: fs.h).
 *
 * The one thing to know: the page at the connection's window is the server's, so
 * every stub copies in and out of it under c->lock and never hands it to a caller;
 * and every answer is checked before it is believed — a length longer than asked,
 * a missing word or a directory record that runs off its page is E_INVAL here, so a
 * broken or hostile server cannot make a client read or write past its own buffers.
 */
#include <stdbool.h>
#include <stddef.h>
#include <fs.h>
#include <ipc.h>
#include <names.h>
#include <string.h>
#include <syscall.h>
#include <utcb.h>
#include <abi/error.h>

/* The threads of one address space take turns; a holder never blocks for long (one
 * call), so a yield, not a queue, is enough. */
static void conn_lock(struct fs_conn *c)
{
	while (__atomic_exchange_n(&c->lock, 1, __ATOMIC_ACQUIRE))
		sys_yield();
}

static void conn_unlock(struct fs_conn *c)
{
	__atomic_store_n(&c->lock, 0, __ATOMIC_RELEASE);
}

/* Word i of the message just received: MR0 and MR1 in registers, the rest in the UTCB. */
static unsigned long reply_word(const struct msg *m, unsigned i)
{
	return i == 0 ? m->mr0 : i == 1 ? m->mr1 : utcb()->mr[i];
}

/*
 * One request on the session: `words` untyped words w[0..words). The reply is in *m;
 * the return is the call's error, E_INVAL for a reply without the `want` words it
 * must have, or the server's MR0 (an error, or the request's result).
 */
static long call(struct fs_conn *c, unsigned long label, unsigned words,
		 const unsigned long *w, unsigned want, struct msg *m)
{
	if (c->session <= 0)
		return E_BADF;
	*m = (struct msg){ .tag = IPC_TAG(label, words, 0), .mr0 = words > 0 ? w[0] : 0,
			   .mr1 = words > 1 ? w[1] : 0 };
	for (unsigned i = 2; i < words; i++)
		utcb()->mr[i] = w[i];
	long r = ipc_call(c->session, m);
	if (r < 0)
		return r;
	if (IPC_TAG_UNTYPED(m->tag) < 1)
		return E_INVAL;
	long v = (long)m->mr0;
	if (v >= 0 && IPC_TAG_UNTYPED(m->tag) < want)
		return E_INVAL;
	return v;
}

/* Puts a path into the page at off; its length, or an error (nothing sent then). */
static long path_put(struct fs_conn *c, unsigned long off, const char *path)
{
	size_t len = strnlen(path, FS_PATH_MAX + 1);
	if (len == 0 || path[0] != '/')
		return E_INVAL;
	if (len > FS_PATH_MAX)
		return E_NAMETOOLONG;
	memcpy(c->page + off, path, len);
	return (long)len;
}

long fs_connect(struct fs_conn *c, long names_slot, void *window)
{
	if (((unsigned long)window & 0xfff) || !window)
		return E_INVAL;
	*c = (struct fs_conn){ 0 };
	long server = names_lookup(names_slot, FS_NAME);
	if (server <= 0)
		return server ? server : E_NOENT;
	long token = sys_endpoint_create();
	if (token <= 0) {
		sys_cap_delete(server);
		return token ? token : E_NOMEM;
	}
	struct msg m = { .tag = IPC_TAG(FS_CONNECT, 1, 1), .mr0 = 0,
			 .mr1 = IPC_ITEM_CAP | IPC_ITEM_RIGHTS(RIGHT_SEND) };
	utcb()->mr[2] = (unsigned long)token;
	/* Only this reply may put a page and a capability here: the window and the
	 * acceptance are for the one call. */
	utcb()->map_window = FPAGE((unsigned long)window, 12);
	utcb()->accept_caps = 1;
	long r = ipc_call(server, &m);
	utcb()->map_window = 0;
	utcb()->accept_caps = 0;
	sys_cap_delete(server);
	long session = 0;
	bool mapped = false;
	if (r == 0) {
		unsigned untyped = IPC_TAG_UNTYPED(m.tag), typed = IPC_TAG_TYPED(m.tag);
		for (unsigned k = 0; k < typed && untyped + 2 * k + 1 < IPC_MR_COUNT; k++) {
			unsigned long kind = IPC_ITEM_KIND(reply_word(&m, untyped + 2 * k));
			unsigned long what = reply_word(&m, untyped + 2 * k + 1);
			if (kind == IPC_ITEM_CAP && (long)what > 0 && !session)
				session = (long)what;
			else if (kind == IPC_ITEM_CAP && (long)what > 0)
				sys_cap_delete((long)what);     /* one session, one capability */
			else if ((kind == IPC_ITEM_MAP || kind == IPC_ITEM_GRANT) && what >= 1 &&
				 (IPC_MAP_RIGHTS_OF(reply_word(&m, untyped + 2 * k)) & MAP_WRITE))
				mapped = true;
		}
		if (untyped < 1)
			r = E_INVAL;
		else if ((long)m.mr0 < 0)
			r = (long)m.mr0;
		else if (!session || !mapped)
			r = E_INVAL;    /* a reply without its page or its capability */
	}
	if (r != 0) {
		if (session > 0)
			sys_cap_delete(session);
		sys_cap_delete(token);
		return r;
	}
	c->session = session;
	c->token = token;
	c->page = window;
	return 0;
}

long fs_open(struct fs_conn *c, const char *path, unsigned flags, uint64_t *size)
{
	conn_lock(c);
	struct msg m;
	long len = path_put(c, 0, path), r = len;
	if (len > 0) {
		unsigned long w[2] = { flags, (unsigned long)len };
		r = call(c, FS_OPEN, 2, w, 2, &m);
		if (r >= 0 && size)
			*size = m.mr1;
	}
	conn_unlock(c);
	return r;
}

long fs_close(struct fs_conn *c, long handle)
{
	conn_lock(c);
	struct msg m;
	unsigned long w[1] = { (unsigned long)handle };
	long r = call(c, FS_CLOSE, 1, w, 1, &m);
	conn_unlock(c);
	return r;
}

long fs_read(struct fs_conn *c, long handle, uint64_t offset, void *buf, unsigned long len)
{
	conn_lock(c);
	unsigned long done = 0;
	long r = 0;
	/* LAB 8 BEGIN: a read through the shared page */
	while (done < len) {
		unsigned long n = len - done < FS_IO_MAX ? len - done : FS_IO_MAX;
		unsigned long w[3] = { (unsigned long)handle, offset + done, n };
		struct msg m;
		r = call(c, FS_READ, 3, w, 1, &m);
		if (r < 0)
			break;
		if ((unsigned long)r > n) {
			r = E_INVAL;    /* more than asked: the server's word is not good */
			break;
		}
		memcpy((char *)buf + done, c->page, (size_t)r);
		done += (unsigned long)r;
		if ((unsigned long)r < n)
			break;          /* the end of the file */
	}
	/* LAB 8 STUB
	// FS_READ moves at most FS_IO_MAX bytes a call: words { handle, offset, length }
	// (call(c, FS_READ, 3, w, 1, &m)); its result is the count the server put at the
	// start of the shared page c->page, which you copy to buf. Ask again from where it
	// stopped until len bytes came, a call fails (r < 0), or fewer came than asked (the
	// end of the file). The server's count is its word: more than asked is E_INVAL.
	(void)handle; (void)offset; (void)buf; (void)len;
	r = E_NOSYS;
	*/
	/* LAB 8 END */
	conn_unlock(c);
	/* Bytes that arrived before an error are the caller's: report them first. */
	return done > 0 || r >= 0 ? (long)done : r;
}

long fs_write(struct fs_conn *c, long handle, uint64_t offset, const void *buf,
	      unsigned long len, uint64_t *end)
{
	conn_lock(c);
	unsigned long done = 0;
	uint64_t last = offset == FS_APPEND ? 0 : offset;
	long r = 0;
	/* LAB 8 BEGIN: a write through the shared page */
	while (done < len) {
		unsigned long n = len - done < FS_IO_MAX ? len - done : FS_IO_MAX;
		memcpy(c->page, (const char *)buf + done, n);
		unsigned long w[3] = { (unsigned long)handle,
				       offset == FS_APPEND ? FS_APPEND : offset + done, n };
		struct msg m;
		r = call(c, FS_WRITE, 3, w, 2, &m);
		if (r < 0)
			break;
		if ((unsigned long)r > n) {
			r = E_INVAL;
			break;
		}
		done += (unsigned long)r;
		/* An append lands at the end, which the reply's new size tells. */
		last = offset == FS_APPEND ? m.mr1 : offset + done;
		if ((unsigned long)r < n)
			break;          /* the disk is full */
	}
	/* LAB 8 STUB
	// As the read, the other way: copy up to FS_IO_MAX bytes into c->page, then
	// FS_WRITE { handle, offset (FS_APPEND stays FS_APPEND), length } with
	// call(c, FS_WRITE, 3, w, 2, &m); the reply's MR1 (m.mr1) is the file's new end,
	// which `last` must hold for an append (offset + done otherwise). Stop at an error
	// or a short write (the disk is full).
	(void)handle; (void)buf; (void)len;
	r = E_NOSYS;
	*/
	/* LAB 8 END */
	conn_unlock(c);
	if (end)
		*end = last;
	return done > 0 || r >= 0 ? (long)done : r;
}

long fs_truncate(struct fs_conn *c, long handle, uint64_t size)
{
	conn_lock(c);
	struct msg m;
	unsigned long w[2] = { (unsigned long)handle, size };
	long r = call(c, FS_TRUNCATE, 2, w, 1, &m);
	conn_unlock(c);
	return r;
}

long fs_fstat(struct fs_conn *c, long handle, struct fs_stat *st)
{
	conn_lock(c);
	struct msg m;
	unsigned long w[1] = { (unsigned long)handle };
	long r = call(c, FS_FSTAT, 1, w, 1, &m);
	if (r >= 0)
		memcpy(st, c->page, sizeof(*st));
	conn_unlock(c);
	return r;
}

long fs_stat(struct fs_conn *c, const char *path, struct fs_stat *st)
{
	conn_lock(c);
	struct msg m;
	long len = path_put(c, 0, path), r = len;
	if (len > 0) {
		unsigned long w[1] = { (unsigned long)len };
		r = call(c, FS_STAT, 1, w, 1, &m);
		if (r >= 0)
			memcpy(st, c->page, sizeof(*st));
	}
	conn_unlock(c);
	return r;
}

/* Whether the n bytes at p are whole fs_dirent records, each inside them. */
static bool records_valid(const char *p, unsigned long n)
{
	unsigned long off = 0;
	while (off < n) {
		if (n - off < sizeof(struct fs_dirent))
			return false;
		struct fs_dirent d;
		memcpy(&d, p + off, sizeof(d));
		if (d.reclen % 8 || d.reclen > n - off || d.namelen == 0 ||
		    d.reclen < sizeof(d) + d.namelen + 1u ||
		    p[off + sizeof(d) + d.namelen] != 0)
			return false;
		off += d.reclen;
	}
	return true;
}

long fs_readdir(struct fs_conn *c, long handle, uint64_t *cookie, void *buf,
		unsigned long max)
{
	conn_lock(c);
	struct msg m;
	unsigned long w[2] = { (unsigned long)handle, *cookie };
	long r = call(c, FS_READDIR, 2, w, 2, &m);
	if (r > 0) {
		/* The request cannot say max: a page's worth (FS_IO_MAX) may come back. */
		if ((unsigned long)r > max || (unsigned long)r > FS_IO_MAX)
			r = (unsigned long)r > FS_IO_MAX ? E_INVAL : E_TOOLONG;
		else if (!records_valid(c->page, (unsigned long)r))
			r = E_INVAL;
		else {
			memcpy(buf, c->page, (size_t)r);
			*cookie = m.mr1;
		}
	}
	conn_unlock(c);
	return r;
}

/* A request whose only word is the length of one path in the page. */
static long path_request(struct fs_conn *c, unsigned long label, const char *path)
{
	conn_lock(c);
	struct msg m;
	long len = path_put(c, 0, path), r = len;
	if (len > 0) {
		unsigned long w[1] = { (unsigned long)len };
		r = call(c, label, 1, w, 1, &m);
	}
	conn_unlock(c);
	return r;
}

long fs_mkdir(struct fs_conn *c, const char *path)
{
	return path_request(c, FS_MKDIR, path);
}

long fs_unlink(struct fs_conn *c, const char *path)
{
	return path_request(c, FS_UNLINK, path);
}

long fs_rmdir(struct fs_conn *c, const char *path)
{
	return path_request(c, FS_RMDIR, path);
}

/* The two paths back to back in the page, neither with its NUL: the new one starts
 * at the old one's length. */
long fs_rename(struct fs_conn *c, const char *from, const char *to)
{
	conn_lock(c);
	struct msg m;
	long old = path_put(c, 0, from);
	long to_len = old > 0 ? path_put(c, (unsigned long)old, to) : old, r = to_len;
	if (to_len > 0) {
		unsigned long w[2] = { (unsigned long)old, (unsigned long)to_len };
		r = call(c, FS_RENAME, 2, w, 1, &m);
	}
	conn_unlock(c);
	return r;
}

long fs_sync(struct fs_conn *c)
{
	conn_lock(c);
	struct msg m;
	long r = call(c, FS_SYNC, 0, NULL, 1, &m);
	conn_unlock(c);
	return r;
}

long fs_stats(struct fs_conn *c, struct fs_stats *st)
{
	conn_lock(c);
	struct msg m;
	long r = call(c, FS_STATS, 0, NULL, 1, &m);
	if (r >= 0)
		memcpy(st, c->page, sizeof(*st));
	conn_unlock(c);
	return r;
}

long fs_map(struct fs_conn *c, long handle, uint64_t offset, void *window)
{
	if (((unsigned long)window & 0xfff) || (offset & 0xfff))
		return E_INVAL;
	conn_lock(c);
	struct msg m;
	unsigned long w[2] = { (unsigned long)handle, offset };
	/* The page may land only where asked, and only for this call. */
	utcb()->map_window = FPAGE((unsigned long)window, 12);
	long r = call(c, FS_MAP, 2, w, 1, &m);
	utcb()->map_window = 0;
	if (r == 0 && (IPC_TAG_TYPED(m.tag) != 1 || reply_word(&m, 2) < 1))
		r = E_INVAL;    /* no page arrived */
	conn_unlock(c);
	return r;
}
