
/* filemap_set_wb_error */
void errseq_set(errseq_t *eseq, int err)
{
	u32 old;

	BUILD_BUG_ON(MAX_ERRNO + 1 != WB_ERR_SEEN);

	/* Optimize for common case of no error */
	if (likely(!err))
		return;

	/* A bad errno is warned about and nothing is recorded */
	if (unlikely(err > 0 || err < -MAX_ERRNO)) {
		WARN(1, "err=%d\n", err);
		return;
	}

	old = READ_ONCE(*eseq);
	for (;;) {
		u32 new, cur;

		/* Clear out error bits and set new error */
		new = (old & ~MAX_ERRNO) | -err;

		/* the counter moves only if the last value was sampled */
		if (old & WB_ERR_SEEN) {
			new += WB_ERR_CTR_INC;
			new &= ~WB_ERR_SEEN;
		}

		/* Always swap, even if nothing would change */
		cur = cmpxchg(eseq, old, new);

		/* Done if we swapped, or somebody stored our value */
		if (likely(cur == old || cur == new))
			break;

		/* another CPU changed the word first: go round with its value */
		old = cur;
	}
}
