/* SPDX-License-Identifier: MIT */
/* Where a NAE event's scratch area may be (see ghcb/ghcb.h; facts §(b)). */
#include "ghcb/ghcb.h"

bool ghcb_scratch_ok(uint64_t ghcb_gpa, uint64_t scratch, uint64_t len)
{
	uint64_t buf = ghcb_gpa + offsetof(struct ghcb, shared_buffer);
	uint64_t buf_end = buf + sizeof(((struct ghcb *)0)->shared_buffer);

	if (scratch + len < scratch)
		return false;
	if (scratch >= ghcb_gpa && scratch < ghcb_gpa + GHCB_PAGE_SIZE)
		return scratch >= buf && scratch + len <= buf_end;
	return len <= GHCB_SCRATCH_AREA_LIMIT;
}
