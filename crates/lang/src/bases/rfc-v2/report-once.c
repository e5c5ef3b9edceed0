
/* filemap_report_wb_error, as Matthew Wilcox proposed */
int file_check_and_advance_wb_err(struct file *file)
{
	int err = 0;
	struct address_space *mapping = file->f_mapping;
	u32 old, new;

	old = READ_ONCE(mapping->wb_err);
	if (old == READ_ONCE(file->f_wb_err))
		return err;

	spin_lock(&file->f_lock);
	if (old != file->f_wb_err) {
		new = old | WB_ERR_SEEN;
		/* One try, result ignored */
		cmpxchg(&mapping->wb_err, old, new);
		file->f_wb_err = new;
		err = -(new & MAX_ERRNO);
	}
	spin_unlock(&file->f_lock);
	return err;
}
