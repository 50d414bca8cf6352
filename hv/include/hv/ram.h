/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM: the memory a VM owns, as KVM's memslots or Xen's p2m describe
 * it. A VM with nested paging (hv/vm.h, use_npt) reaches this memory and
 * nothing else of the machine: its second-level tables (the backend's; for
 * SVM hv/svm_npt.h) map exactly these slots, every other guest-physical
 * address is not present, and a guest access there ends in a second-level
 * fault (SVM #VMEXIT(NPF)), which the core hands to its caller (hv/vcpu.h,
 * HV_INTERNAL_UNEXPECTED_EXIT) — but for the xAPIC page, which the core
 * emulates.
 *
 * Each slot is a range of guest-physical addresses backed by the same
 * system-physical addresses (GPA = SPA), so a guest built for a VM sees
 * its memory where the host allocated it:
 *
 *   slot 0  from the platform (hv_ram_alloc, arch_pages_alloc), below 4 GiB;
 *           the guest builder (hv/guest.h) takes every page it lays out
 *           from its start (hv_ram_take) and the caller may take more
 *           after it; the rest is the guest's to use;
 *   slot 1+ memory the caller owns already (hv_ram_add), such as the page
 *           below 1 MiB that an application processor starts in after
 *           SIPI (the real-mode vector page).
 *
 * The core's and the backend's own pages — VMCBs, permission maps, the
 * vCPU structures, nested tables — come from arch_page_alloc outside every
 * slot, and so do the platform's (its code, data and stacks).
 *
 * Who may include it: hv/, conformance/.
 */
#ifndef HV_RAM_H
#define HV_RAM_H

#include <stdbool.h>
#include <stdint.h>

#define HV_RAM_MAX_SLOTS 4u

struct hv_ram_slot {
	uint64_t base; /* guest-physical = system-physical, 4 KiB aligned */
	uint64_t size; /* bytes, a multiple of 4 KiB */
};

struct hv_ram {
	struct hv_ram_slot slots[HV_RAM_MAX_SLOTS];
	uint32_t nr_slots;
	uint64_t taken; /* bytes of slot 0 handed out by hv_ram_take */
};

/*
 * Empties ram and gives it slot 0: size bytes (a non-zero multiple of
 * 4 KiB) of zeroed, contiguous memory from the platform, wholly below
 * 4 GiB. Returns HV_OK, HV_EINVAL or HV_ENOMEM.
 */
int hv_ram_alloc(struct hv_ram *ram, uint64_t size);

/*
 * Adds a slot of memory the caller owns. Returns HV_OK, or HV_EINVAL when
 * it is not 4 KiB aligned, empty, overlaps a slot or there are
 * HV_RAM_MAX_SLOTS already.
 */
int hv_ram_add(struct hv_ram *ram, uint64_t base, uint64_t size);

/*
 * The next npages of slot 0, zeroed, or 0 when they do not fit. For
 * memory the guest has not run yet (the model drops translated code only
 * for freshly allocated pages).
 */
uint64_t hv_ram_take(struct hv_ram *ram, uint32_t npages);

/* Is [gpa, gpa + len) inside one slot? */
bool hv_ram_contains(const struct hv_ram *ram, uint64_t gpa, uint64_t len);

/* Bytes in all slots. */
uint64_t hv_ram_size(const struct hv_ram *ram);

#endif
