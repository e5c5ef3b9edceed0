
/* filemap_set_wb_error, as NeilBrown proposed */
void errseq_set(errseq_t *eseq, int err)
{
	u32 old;

	BUILD_BUG_ON(MAX_ERRNO + 1 != WB_ERR_SEEN);

	if (likely(!err))
		return;

	if (unlikely(err > 0 || err < -MAX_ERRNO)) {
		WARN(1, "err=%d\n", err);
		return;
	}

	old = READ_ONCE(*eseq);
	for (;;) {
		u32 new, cur;

		/* We always clear SEEN when updating */
		new = (old & ~(MAX_ERRNO | WB_ERR_SEEN)) | -err;

		/* the counter moves only if the last value was sampled */
		if (old & WB_ERR_SEEN)
			new += WB_ERR_CTR_INC;

		/* Same errno, nobody has seen it: no need to update */
		if (old == new)
			break;

		cur = cmpxchg(eseq, old, new);
		if (likely(cur == old || cur == new))
			break;
		old = cur;
	}
}
