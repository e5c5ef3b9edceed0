 *
 * With NeilBrown's review change to set (6 April 2017): clear SEEN with
 * the errno, and stop without a cmpxchg when nothing would change. Jeff
 * Layton feared losing an error to a racing SEEN marker; NeilBrown
 * answered that the cmpxchg, had it run, would have changed nothing.
 *
 * The patch had no check or check-and-advance of its own: those below are
 * 4.13's, so a proposal starting here can call them.
 */

#define WB_ERR_SEEN		(1 << 12)
#define WB_ERR_CTR_INC		(1 << 13)
