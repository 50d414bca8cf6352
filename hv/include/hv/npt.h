/* SPDX-License-Identifier: MIT */
/*
 * Nested page tables for a VM (APM vol. 2 §15.25), in the host's long-mode
 * format (§15.25.1): guest-physical 0-4 GiB map onto the same
 * system-physical addresses with 2 MiB leaves, except one 4 KiB page, the
 * hole, which is left not present so that every guest access to it ends in
 * #VMEXIT(NPF) (the xAPIC page of hv/vlapic.h).
 *
 * Why 0-4 GiB: the guest builder maps exactly that range for the guest and
 * places everything it allocates below 4 GiB (hv/guest.h), and arch.h has
 * no memory map that would say which of it is RAM. Without nested paging
 * the guest reached the same range, so nothing it could reach before
 * becomes reachable now; above 4 GiB every access is #NPF.
 *
 * Every leaf allows reads, writes and fetches. At the nested level every
 * guest access counts as a user access (§15.25.5), so every entry has U/S.
 *
 * Who may include it: hv/, conformance/.
 */
#ifndef HV_NPT_H
#define HV_NPT_H

#include <stdbool.h>
#include <stdint.h>

/* Guest-physical addresses the tables map (all but the hole). */
#define HV_NPT_LIMIT (4ull << 30)

struct hv_npt {
	uint64_t root; /* the PML4, for nested_cr3 */
	uint64_t hole; /* the guest-physical page left not present */
};

/*
 * Allocates and fills the tables (seven pages). hole must be a 4 KiB
 * aligned guest-physical address below HV_NPT_LIMIT. Returns HV_OK,
 * HV_ENOMEM or HV_EINVAL.
 */
int hv_npt_build(struct hv_npt *npt, uint64_t hole);

/*
 * Walks the tables as the processor would: the system-physical address of
 * gpa, or false when no present leaf maps it.
 */
bool hv_npt_translate(const struct hv_npt *npt, uint64_t gpa, uint64_t *spa);

#endif
