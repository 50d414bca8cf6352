/* SPDX-License-Identifier: MIT */
/*
 * Nested page tables of the scenarios' own making (not the hv core's): the
 * first 4 GiB of guest-physical space sent one to one to system-physical
 * memory with 2 MiB leaves, and single 4 KiB pages taken out and put back.
 */
#ifndef CONF_SRC_NPT_UTIL_H
#define CONF_SRC_NPT_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "svm_util.h"

#define CONF_NPT_RWU (X86_PTE_P | X86_PTE_W | X86_PTE_U)

struct conf_npt {
	uint64_t root;
	uint64_t pd[4];     /* the page directories, 1 GiB each */
};

/* Builds the tables and puts them in effect in s's VMCB; false (and an
 * ERROR) when out of pages. */
bool conf_npt_identity(struct conf_ctx *ctx, struct conf_svm *s, struct conf_npt *n);
/* Leaves the 4 KiB page at gpa (below 4 GiB) not present, the rest of its
 * 2 MiB still one to one; false when out of pages or gpa is out of range. */
bool conf_npt_unmap_4k(struct conf_npt *n, uint64_t gpa);
/* Maps the page at gpa one to one again (after conf_npt_unmap_4k). */
void conf_npt_map_4k(struct conf_npt *n, uint64_t gpa);

#endif
