/* SPDX-License-Identifier: MIT */
/*
 * Nested page tables (see hv/svm_npt.h) in the long-mode format, built by
 * the tables both backends share (hv/src/lib/s2pt.h): a PML4 and the
 * tables below it, allocated as a range needs them, with 2 MiB leaves
 * where the range and the hole allow and 4 KiB leaves elsewhere (APM vol.
 * 2 §15.25.1, §5.3).
 */
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/svm_npt.h"
#include "../lib/s2pt.h"
#include "x86/cpu.h"

/*
 * User access is what every guest access is at the nested level (§15.25.5).
 * Leaves carry A and D already: nothing reads them, and the processor then
 * never has to write them back (APM vol. 2 §5.4.2).
 */
static const struct hv_s2pt_format npt_format = {
	.present = X86_PTE_P,
	.table = X86_PTE_P | X86_PTE_W | X86_PTE_U,
	.leaf = X86_PTE_P | X86_PTE_W | X86_PTE_U | X86_PTE_A | X86_PTE_D,
	.large = X86_PTE_P | X86_PTE_W | X86_PTE_U | X86_PTE_PS | X86_PTE_A | X86_PTE_D,
};

int hv_npt_init(struct hv_npt *npt, uint64_t hole)
{
	int rc = hv_s2pt_init(&npt->root, hole);

	if (rc == HV_OK)
		npt->hole = hole;
	return rc;
}

int hv_npt_map(struct hv_npt *npt, uint64_t gpa, uint64_t spa, uint64_t size)
{
	return hv_s2pt_map(&npt_format, npt->root, npt->hole, gpa, spa, size);
}

int hv_npt_build(struct hv_npt *npt, uint64_t hole)
{
	int rc;

	if (hole >= HV_NPT_LIMIT)
		return HV_EINVAL;
	rc = hv_npt_init(npt, hole);
	return rc ? rc : hv_npt_map(npt, 0, 0, HV_NPT_LIMIT);
}

bool hv_npt_translate(const struct hv_npt *npt, uint64_t gpa, uint64_t *spa)
{
	return hv_s2pt_translate(&npt_format, npt->root, gpa, spa);
}
