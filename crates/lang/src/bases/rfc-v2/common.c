
/* do_dentry_open: f->f_wb_err = READ_ONCE(mapping->wb_err), not SEEN */
errseq_t errseq_sample(errseq_t *eseq)
{
	return READ_ONCE(*eseq);
}

/* Not in the patch: 4.13's */
int errseq_check(errseq_t *eseq, errseq_t since)
{
	errseq_t cur = READ_ONCE(*eseq);

	if (likely(cur == since))
		return 0;
	return -(cur & MAX_ERRNO);
}

/* Not in the patch: 4.13's */
int errseq_check_and_advance(errseq_t *eseq, errseq_t *since)
{
	int err = 0;
	errseq_t old, new;

	old = READ_ONCE(*eseq);
	if (old != *since) {
		new = old | WB_ERR_SEEN;
		if (new != old)
			cmpxchg(eseq, old, new);
		*since = new;
		err = -(new & MAX_ERRNO);
	}
	return err;
}
