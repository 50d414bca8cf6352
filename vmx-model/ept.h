/* SPDX-License-Identifier: MIT */
/*
 * The extended-page-table walk of a model processor (SDM vol. 3C §29.3):
 * a guest-physical address to a physical one through the EPT paging
 * structures the EPT pointer names, with the EPT violation or EPT
 * misconfiguration the walk meets. Shaped so that the VMX model can make it
 * the engine's second level of translation (struct emu_slat).
 *
 * Who may include it: vmx-model/ and its tests.
 */
#ifndef VMX_MODEL_EPT_H
#define VMX_MODEL_EPT_H

#include <stdbool.h>
#include <stdint.h>

#include "emu/src/emu_internal.h"
#include "vmx-model/caps.h"

/* EPT paging-structure entries (SDM §29.3.2, tables 29-1 to 29-6) */
#define EPT_READ          (1ull << 0)
#define EPT_WRITE         (1ull << 1)
#define EPT_EXECUTE       (1ull << 2)
#define EPT_MEMTYPE_SHIFT 3            /* bits 5:3 of an entry that maps a page */
#define EPT_MEMTYPE_MASK  (7ull << 3)
#define EPT_IGNORE_PAT    (1ull << 6)
#define EPT_PAGE_SIZE     (1ull << 7)  /* in a PDPTE or PDE: it maps a page */
#define EPT_ACCESSED      (1ull << 8)
#define EPT_DIRTY         (1ull << 9)  /* in an entry that maps a page */

/* How an access reaches the walk (vmx_ept_walk's flags). */
#define VMX_EPT_PAGING_ENTRY 1u /* to an entry of the guest's own paging structures */
#define VMX_EPT_NO_LINEAR    2u /* made for no linear address (the PDPTE loads of MOV to CR) */
#define VMX_EPT_SET_AD       4u /* set accessed and dirty flags as the access would */

struct vmx_ept_fault {
	uint32_t exit_reason;   /* VMX_EXIT_EPT_VIOLATION or VMX_EXIT_EPT_MISCONFIG */
	uint64_t qualification; /* a violation's exit qualification (table 28-7); 0 otherwise */
};

/*
 * Translate gpa for an access acc under eptp: 0 and the leaf of gpa's 4 KiB
 * page, or -1 and the fault. caps gives the physical-address width and
 * whether execute-only entries and 1 GiB and 2 MiB pages are supported
 * (IA32_VMX_EPT_VPID_CAP bits 0, 17 and 16).
 *
 * What the walk reads of eptp is the PML4 address and bit 6 (A/D flags);
 * the memory type and page-walk length are VM entry's to check (§27.2.1.1).
 * Bits 63:48 of gpa lie beyond a 4-level walk and are not looked at.
 *
 * The qualification carries bits 0-5, 7 and 8. Bit 6 belongs to
 * mode-based execute control, bits 9-11 to advanced VM-exit information,
 * neither of which the model offers; bit 12 (NMI unblocking by IRET) is
 * the caller's to add.
 *
 * leaf->dirty says whether a write needs no dirty flag set first: always,
 * when EPTP bit 6 is clear.
 */
int vmx_ept_walk(struct emu_cpu *cpu, const struct vmx_caps *caps, uint64_t eptp, uint64_t gpa,
		 enum emu_access acc, unsigned flags, struct emu_slat_leaf *leaf,
		 struct vmx_ept_fault *fault);

#endif
