 *
 * The patch had no check or check-and-advance of its own: those below are
 * 4.13's, so a proposal starting here can call them.
 */

/* The low 12 bits hold the errno (MAX_ERRNO), then the "seen" flag */
#define WB_ERR_SEEN		(1 << 12)

/* then the counter */
#define WB_ERR_CTR_INC		(1 << 13)
