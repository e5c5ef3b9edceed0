 *
 * With Matthew Wilcox's review change to the report (6 April 2017): "I'd
 * lean towards not looping here; not even looking at 'cur'". An error
 * that races in is reported at the next fsync instead.
 *
 * The patch had no check or check-and-advance of its own: those below are
 * 4.13's, so a proposal starting here can call them.
 */

#define WB_ERR_SEEN		(1 << 12)
#define WB_ERR_CTR_INC		(1 << 13)
