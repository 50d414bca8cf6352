/* SPDX-License-Identifier: MIT */
/*
 * The SVM backend's nested page tables (APM vol. 2 §15.25), in the host's
 * long-mode format (§15.25.1): four levels, 2 MiB leaves wherever a range
 * allows them and 4 KiB leaves elsewhere. One 4 KiB page, the hole, is
 * never mapped, so that every guest access to it ends in #VMEXIT(NPF) (the
 * xAPIC page of hv/vlapic.h).
 *
 * A VM's tables (hv/vm.h, the SVM part of its backend state, hv_svm_npt
 * in hv/svm.h) start empty (hv_npt_init) and map exactly the VM's RAM
 * (hv/ram.h) onto the same system-physical addresses (hv_npt_map):
 * everything else is not present. The core reaches them only through the
 * backend's vm_memory_* operations (hv/ops.h). The tables live in pages
 * from arch_page_alloc, outside the RAM they map, so no guest can reach
 * them.
 *
 * hv_npt_build makes the other kind, for scenarios that test the
 * processor's nested paging rather than a VM: guest-physical 0-4 GiB onto
 * the same addresses, the hole excepted, and nothing above.
 *
 * Every leaf allows reads, writes and fetches. At the nested level every
 * guest access counts as a user access (§15.25.5), so every entry has U/S.
 *
 * Who may include it: hv/ (hv/svm_state.h keeps a VM's tables), and code
 * that works with SVM's nested tables itself: the SVM backend, SVM
 * scenarios (through hv/svm.h), the fuzz targets.
 */
#ifndef HV_SVM_NPT_H
#define HV_SVM_NPT_H

#include <stdbool.h>
#include <stdint.h>

/* What hv_npt_build maps (all but the hole). */
#define HV_NPT_LIMIT (4ull << 30)

struct hv_npt {
	uint64_t root; /* the PML4, for nested_cr3 */
	uint64_t hole; /* the guest-physical page left not present */
};

/*
 * An empty PML4 (nothing mapped) with hole, a 4 KiB aligned guest-physical
 * address, set aside. Returns HV_OK, HV_ENOMEM or HV_EINVAL.
 */
int hv_npt_init(struct hv_npt *npt, uint64_t hole);

/*
 * Maps guest-physical [gpa, gpa + size) onto system-physical [spa, spa +
 * size), all three 4 KiB aligned and below 2^48, allocating the tables it
 * needs; the hole stays not present. A page already mapped is mapped
 * again. Returns HV_OK, HV_ENOMEM or HV_EINVAL.
 */
int hv_npt_map(struct hv_npt *npt, uint64_t gpa, uint64_t spa, uint64_t size);

/*
 * hv_npt_init, then guest-physical 0-HV_NPT_LIMIT onto the same addresses:
 * seven pages of tables. hole must be below HV_NPT_LIMIT. Returns HV_OK,
 * HV_ENOMEM or HV_EINVAL.
 */
int hv_npt_build(struct hv_npt *npt, uint64_t hole);

/*
 * Walks the tables as the processor would: the system-physical address of
 * gpa, or false when no present leaf maps it or a table the walk needs is
 * not memory the platform has (arch_phys_to_virt gives no pointer). The
 * address found is not checked: a caller that reads there checks it.
 */
bool hv_npt_translate(const struct hv_npt *npt, uint64_t gpa, uint64_t *spa);

#endif
