/*
 * rfc-v2: Jeff Layton's "[RFC PATCH v2] fs: introduce new writeback error
 * tracking infrastructure and convert ext4 to use it" (April 2017), as
 * written there: filemap_set_wb_error and filemap_report_wb_error of
 * mm/filemap.c, on the word mapping->wb_err. Here the word is passed as
 * a pointer (`eseq`), as errseq_t's functions later took it.
