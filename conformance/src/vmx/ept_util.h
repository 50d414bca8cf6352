/* SPDX-License-Identifier: MIT */
/*
 * EPT paging structures of the scenarios' own making (SDM vol. 3C §29.3):
 * the first 4 GiB of guest-physical space sent one to one to physical
 * memory with 2 MiB pages, readable, writable and executable, write-back;
 * single 4 KiB pages taken out of a 2 MiB page to be given other rights,
 * and the EPT pointer (§25.6.11) put in the current VMCS.
 */
#ifndef CONF_SRC_EPT_UTIL_H
#define CONF_SRC_EPT_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx_util.h"

/* EPT paging-structure entries (SDM vol. 3C tables 29-1 to 29-6). */
#define CONF_EPT_R        (1ull << 0)
#define CONF_EPT_W        (1ull << 1)
#define CONF_EPT_X        (1ull << 2)
#define CONF_EPT_RWX      (CONF_EPT_R | CONF_EPT_W | CONF_EPT_X)
#define CONF_EPT_WB       (6ull << 3) /* memory type of a page, bits 5:3 */
#define CONF_EPT_PS       (1ull << 7)
#define CONF_EPT_ACCESSED (1ull << 8)
#define CONF_EPT_DIRTY    (1ull << 9)

struct conf_ept {
	uint64_t pml4, pdpt, pd[4];
	uint64_t eptp;
};

/*
 * Builds the tables and enables EPT in s's VMCS with a WB, 4-level EPT
 * pointer, bit 6 (accessed and dirty flags) as ad says; false (and an
 * ERROR) when out of pages.
 */
bool conf_ept_identity(struct conf_ctx *ctx, struct conf_vmx *s, struct conf_ept *e, bool ad);
/* The EPT entry of gpa (below 4 GiB) at level 3 (PDPTE) or 2 (PDE). */
uint64_t *conf_ept_entry(struct conf_ept *e, uint64_t gpa, int level);
/* The 4 KiB EPT PTE of gpa, its 2 MiB page split into 512 one-to-one
 * pages first; NULL when out of pages or gpa is at or above 4 GiB. */
uint64_t *conf_ept_pte(struct conf_ept *e, uint64_t gpa);
/* Host pointer to an EPT entry's table or page frame. */
void *conf_ept_frame(uint64_t entry);

#endif
