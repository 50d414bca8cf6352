/* SPDX-License-Identifier: MIT */
/*
 * What the VM-memory scenarios share: a VM with nested paging
 * over the vmmem_guest payload (guest/vmmem.S), whose RAM (hv/ram.h) is
 * all it owns, with a host page on each side of that RAM to see whether
 * anything reached past it; the guest's own page tables, extended with
 * 4 KiB pages above the 4 GiB the guest builder maps; and digests of what
 * the core keeps for the VM outside its RAM (the nested tables, the
 * VMCB's controls and permission maps), to compare before and after a run.
 */
#ifndef CONF_SRC_VMMEM_UTIL_H
#define CONF_SRC_VMMEM_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "mp_util.h"

struct conf_vmmem {
	struct conf_ctx *ctx;
	struct hv_ram ram;
	struct hv_guest guest;
	struct hv_vm vm;
	struct hv_vcpu *vcpu;  /* vCPU 0 */
	uint64_t canary[2];    /* host pages allocated just before and after the RAM */
};

/* The scan guest's result slots (guest/vmmem.S). */
#define CONF_VMMEM_SCAN_VCPUS 4u

/* What the core keeps for the VM outside its RAM, as digests. */
struct conf_vmmem_host {
	uint64_t npt;          /* every nested table, accessed and dirty bits aside */
	uint64_t controls;     /* intercepts, IOPM/MSRPM bases, ASID, nested_ctl, nested_cr3 */
	uint64_t perm_maps;    /* the IOPM and the MSRPM */
	uint64_t canaries;     /* the two host pages beside the RAM */
};

/*
 * Builds the VM of nr_vcpus: RAM of the first of sizes[0..n) bytes the
 * platform can give, between the two canary pages, the vmmem_guest payload
 * in it, vCPU 0 starting at `entry` (the others wait for INIT and SIPI, or
 * conf_vmmem_start), every exit the core hands over going to on_exit(arg).
 * False (ERROR recorded) on failure.
 */
bool conf_vmmem_setup(struct conf_ctx *ctx, struct conf_vmmem *v, uint32_t nr_vcpus,
		      const uint64_t *sizes, unsigned n, const uint8_t *entry,
		      hv_vm_exit_fn on_exit, void *arg);
/* Makes vCPU id RUNNABLE in long mode at a label, on a stack page of the RAM. */
bool conf_vmmem_start(struct conf_vmmem *v, uint32_t id, const uint8_t *label);

/* Guest address of a vmmem_guest label, and a host pointer to its 64-bit datum. */
uint64_t conf_vmmem_addr(const struct conf_vmmem *v, const uint8_t *label);
uint64_t *conf_vmmem_u64(const struct conf_vmmem *v, const uint8_t *label);

/*
 * The guest's page-table entry for gva at level (3: PDPTE, 2: PDE, 1: PTE),
 * with the tables above it made present from the VM's RAM where they are
 * not; NULL when RAM runs out, or a large page or a table outside the RAM
 * is in the way.
 */
uint64_t *conf_vmmem_guest_entry(struct conf_vmmem *v, uint64_t gva, int level);
/* gva onto gpa with a present, writable 4 KiB page. False: no RAM left. */
bool conf_vmmem_map(struct conf_vmmem *v, uint64_t gva, uint64_t gpa);

void conf_vmmem_host_state(const struct conf_vmmem *v, struct conf_vmmem_host *h);
/* One check per digest: after equals before. */
void conf_vmmem_check_host(const struct conf_vmmem *v, const struct conf_vmmem_host *before);
/* The nested tables map every RAM slot onto itself (GPA = SPA) and nothing else. */
void conf_vmmem_check_npt(const struct conf_vmmem *v);

CONF_PAYLOAD_DECLARE(vmmem_guest);
CONF_PAYLOAD_LABEL(vmmem_guest, scan);
CONF_PAYLOAD_LABEL(vmmem_guest, xchg);
CONF_PAYLOAD_LABEL(vmmem_guest, walk);
CONF_PAYLOAD_LABEL(vmmem_guest, ram_base);
CONF_PAYLOAD_LABEL(vmmem_guest, ram_size);
CONF_PAYLOAD_LABEL(vmmem_guest, dense_top);
CONF_PAYLOAD_LABEL(vmmem_guest, nsamples);
CONF_PAYLOAD_LABEL(vmmem_guest, samples);
CONF_PAYLOAD_LABEL(vmmem_guest, faulted);
CONF_PAYLOAD_LABEL(vmmem_guest, version);
CONF_PAYLOAD_LABEL(vmmem_guest, walk_from);
CONF_PAYLOAD_LABEL(vmmem_guest, walk_to);
CONF_PAYLOAD_LABEL(vmmem_guest, walk_pages);
CONF_PAYLOAD_LABEL(vmmem_guest, walk_bad);
CONF_PAYLOAD_LABEL(vmmem_guest, edge_page);
CONF_PAYLOAD_LABEL(vmmem_guest, edge_load);
CONF_PAYLOAD_LABEL(vmmem_guest, edge_next);

#endif
