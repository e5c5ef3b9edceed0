/*
 * errseq_t as merged for 4.13: lib/errseq.c ("lib: add errseq_t type and
 * infrastructure for handling it", Jeff Layton, 4.13-rc1) and the VFS
 * glue file_check_and_advance_wb_err in mm/filemap.c ("fs: new
 * infrastructure for writeback error handling and reporting"). 4.14 runs
 * the same word functions (it changed only sync_file_range's routing).
 *
 * In 4.13, include/linux/errseq.h declared errseq_set as an inline
 * wrapper that skips err == 0 and calls __errseq_set; "errseq: rename
 * __errseq_set to errseq_set" removed the wrapper before 4.17.
 */

/* include/linux/errseq.h, 4.13 */
static errseq_t __errseq_set(errseq_t *eseq, int err);

void errseq_set(errseq_t *eseq, int err)
{
	/* Optimize for the common case of no error */
	if (unlikely(err))
		__errseq_set(eseq, err);
}

static errseq_t __errseq_set(errseq_t *eseq, int err)
{
	errseq_t cur, old;

	/* the errno field is MAX_ERRNO's bits, so MAX_ERRNO + 1 is a power of two */
	BUILD_BUG_ON_NOT_POWER_OF_2(MAX_ERRNO + 1);

	/*
	 * A bad errno (or 0, which would clear the error) is warned about
	 * and nothing is recorded.
	 */
	old = READ_ONCE(*eseq);

	if (WARN(unlikely(err == 0 || (unsigned int)-err > MAX_ERRNO),
				"err = %d\n", err))
		return old;

	for (;;) {
		errseq_t new;

		/* Replace the errno, drop SEEN */
		new = (old & ~(MAX_ERRNO|ERRSEQ_SEEN)) | -err;

		/* Count only if somebody sampled the last value */
		if (old & ERRSEQ_SEEN)
			new += ERRSEQ_CTR_INC;

		/* Nothing would change: done (NeilBrown's review) */
		if (new == old) {
			cur = new;
			break;
		}

		cur = cmpxchg(eseq, old, new);

		/* We swapped, or somebody stored exactly our value */
		if (likely(cur == old || cur == new))
			break;

		/* Lost a race: try again from what is there now */
		old = cur;
	}
	return cur;
}

/* 4.13 to 4.16: a new sampler marks the value SEEN and starts from it. */
errseq_t errseq_sample(errseq_t *eseq)
{
	errseq_t old = READ_ONCE(*eseq);
	errseq_t new = old;

	/*
	 * A word that never had an error stays 0: once set, it never
	 * returns to 0, so there is nothing to mark.
	 */
	if (old != 0) {
		new |= ERRSEQ_SEEN;
		if (old != new)
			cmpxchg(eseq, old, new);
	}
	return new;
}

int errseq_check(errseq_t *eseq, errseq_t since)
{
	errseq_t cur = READ_ONCE(*eseq);

	if (likely(cur == since))
		return 0;
	return -(cur & MAX_ERRNO);
}

int errseq_check_and_advance(errseq_t *eseq, errseq_t *since)
{
	int err = 0;
	errseq_t old, new;

	/* The caller serializes updates of *since (the VFS: f_lock). */
	old = READ_ONCE(*eseq);
	if (old != *since) {
		/*
		 * One try, result ignored: a racing set leaves a newer value,
		 * reported next time; a racing reader set the same bit.
		 */
		new = old | ERRSEQ_SEEN;
		if (new != old)
			cmpxchg(eseq, old, new);
		*since = new;
		err = -(new & MAX_ERRNO);
	}
	return err;
}

/*
 * mm/filemap.c. The kernel re-reads file->f_wb_err under the lock only
 * for its tracepoint (trace_file_check_and_advance_wb_err): left out.
 * The clearing of AS_EIO/AS_ENOSPC that follows is the base's glue, not
 * the scheme's.
 */
int file_check_and_advance_wb_err(struct file *file)
{
	int err = 0;
	errseq_t old = READ_ONCE(file->f_wb_err);
	struct address_space *mapping = file->f_mapping;

	/* no lock while the cursor is current, the usual case */
	if (errseq_check(&mapping->wb_err, old)) {
		/* the word moved: report and advance under f_lock */
		spin_lock(&file->f_lock);
		err = errseq_check_and_advance(&mapping->wb_err,
						&file->f_wb_err);
		spin_unlock(&file->f_lock);
	}
	return err;
}
