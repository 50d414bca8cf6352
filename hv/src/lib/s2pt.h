/* SPDX-License-Identifier: MIT */
/*
 * Private to hv/: the four-level second-level tables both backends build,
 * SVM's nested page tables (APM vol. 2 §15.25.1) and VMX's EPT paging
 * structures (SDM vol. 3C §29.3.2). They share their shape — 512 entries
 * a level, 9 bits of address each, a large leaf flagged by bit 7 at the
 * PD (2 MiB) and PDPT (1 GiB) levels, the address in bits 51:12 — and
 * differ only in the bits that make an entry present and what a table, a
 * 4 KiB leaf and a large leaf carry, which struct hv_s2pt_format says.
 *
 * A table set starts empty but for its root and maps ranges with 2 MiB
 * leaves where the range and the hole allow and 4 KiB leaves elsewhere;
 * the hole, one 4 KiB page, is never mapped.
 */
#ifndef HV_SRC_LIB_S2PT_H
#define HV_SRC_LIB_S2PT_H

#include <stdbool.h>
#include <stdint.h>

struct hv_s2pt_format {
	uint64_t present; /* an entry with any of these bits is present */
	uint64_t table;   /* a non-leaf entry's bits */
	uint64_t leaf;    /* a 4 KiB leaf's bits */
	uint64_t large;   /* a 2 MiB or 1 GiB leaf's bits, bit 7 included */
};

/* The largest guest-physical address four levels translate, + 1. */
#define HV_S2PT_GPA_LIMIT (1ull << 48)

/* A root table in *root; HV_EINVAL for a hole that is not a page, HV_ENOMEM. */
int hv_s2pt_init(uint64_t *root, uint64_t hole);
/* Maps [gpa, gpa + size) onto spa; all page-aligned. HV_EINVAL, HV_ENOMEM. */
int hv_s2pt_map(const struct hv_s2pt_format *f, uint64_t root, uint64_t hole, uint64_t gpa,
		uint64_t spa, uint64_t size);
/* The walk, as the processor does it; false where a level is not present. */
bool hv_s2pt_translate(const struct hv_s2pt_format *f, uint64_t root, uint64_t gpa,
		       uint64_t *spa);

#endif
