
/* filemap_report_wb_error: fsync's report */
int file_check_and_advance_wb_err(struct file *file)
{
	int err = 0;
	struct address_space *mapping = file->f_mapping;
	u32 old;

	old = READ_ONCE(mapping->wb_err);

	/* The common case: no error, or nothing new since the last check */
	if (old == READ_ONCE(file->f_wb_err))
		return err;

	spin_lock(&file->f_lock);
	for (;;) {
		u32 cur, new;

		/* f_wb_err always carries SEEN: equal means caught up */
		if (old == file->f_wb_err)
			break;

		/* set flag and try to swap it into place */
		new = old | WB_ERR_SEEN;
		cur = cmpxchg(&mapping->wb_err, old, new);

		/* Swapped, or somebody else stored the same value */
		if (likely(cur == old || cur == new)) {
			file->f_wb_err = new;
			err = -(new & MAX_ERRNO);
			break;
		}

		/* another CPU changed the word first: go round with its value */
		old = cur;
	}
	spin_unlock(&file->f_lock);
	return err;
}
