/* SPDX-License-Identifier: MIT */
/*
 * Nested paging (APM vol. 2 §15.25): the guest's physical addresses go
 * through the nested page tables. The scenarios build nested tables that
 * map the first 4 GiB of guest-physical space onto the same system-physical
 * addresses (2 MiB leaves), except for three 4 KiB pages at 1 GiB: one sent
 * to a data page elsewhere, one not present, one read-only.
 */
#include "npt_util.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(npt_guest);
CONF_PAYLOAD_LABEL(npt_guest, load);
CONF_PAYLOAD_LABEL(npt_guest, store);

#define GPA_REMAP  0x40000000ull
#define GPA_ABSENT 0x40001000ull
#define GPA_RO     0x40002000ull
#define DATA_VALUE 0x5a5a5a5a12345678ull

/* #NPF exit_info_1 (§15.25.6): P, RW, US, and bit 32 for a fault on the
 * final guest-physical address (not on the guest's page tables). */
#define NPF_P     (1ull << 0)
#define NPF_RW    (1ull << 1)
#define NPF_US    (1ull << 2)
#define NPF_FINAL (1ull << 32)
#define NPF_TABLE (1ull << 33)

struct npt {
	struct conf_npt tables;
	uint64_t pt, data, data_ro;
};

static bool setup(struct conf_ctx *ctx, struct conf_svm *s, struct npt *n)
{
	uint64_t *pt;

	if (!conf_svm_setup(ctx, s, CONF_PAYLOAD(npt_guest), false) ||
	    !conf_npt_identity(ctx, s, &n->tables))
		return false;
	n->pt = arch_page_alloc();
	n->data = arch_page_alloc();
	n->data_ro = arch_page_alloc();
	if (!n->pt || !n->data || !n->data_ro) {
		conf_error(ctx, "out of pages for the nested page tables");
		return false;
	}
	((uint64_t *)arch_phys_to_virt(n->tables.pd[1]))[0] = n->pt | CONF_NPT_RWU;
	*(volatile uint64_t *)arch_phys_to_virt(n->data) = DATA_VALUE;
	pt = arch_phys_to_virt(n->pt);
	pt[0] = n->data | CONF_NPT_RWU;
	pt[2] = n->data_ro | X86_PTE_P | X86_PTE_U;
	return true;
}

static uint64_t leaf(const struct npt *n, unsigned i)
{
	return ((volatile uint64_t *)arch_phys_to_virt(n->pt))[i];
}

/* A load through a nested mapping to another page — Expect: that page's value; A set, D clear */
CONF_SCENARIO(svm_npt_translates, "svm npt",
	      "Expect: a guest load at a guest-physical page the nested tables send to another "
	      "system-physical page reads that page; the leaf's A bit is set and D is not",
	      "APM vol. 2 §15.25.1, §15.25.5", conf_npt_unsupported)
{
	struct conf_svm s;
	struct npt n;

	if (!setup(ctx, &s, &n))
		return;
	s.vcpu.gprs.rbx = GPA_REMAP;
	conf_svm_start_at(&s, npt_guest_load);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_VMMCALL, "the guest's load"))
		return;
	conf_check_u64(ctx, "value read (RAX)", s.vmcb->save.rax, DATA_VALUE);
	conf_check_bit(ctx, "nested leaf A", leaf(&n, 0), X86_PTE_A, true);
	conf_check_bit(ctx, "nested leaf D", leaf(&n, 0), X86_PTE_D, false);
}

/* A store through a writable nested mapping — Expect: the data page written, D set */
CONF_SCENARIO(svm_npt_store_sets_dirty, "svm npt",
	      "Expect: a guest store through a writable nested mapping writes the system-physical "
	      "page and sets the leaf's D bit",
	      "APM vol. 2 §15.25.5", conf_npt_unsupported)
{
	struct conf_svm s;
	struct npt n;

	if (!setup(ctx, &s, &n))
		return;
	s.vcpu.gprs.rbx = GPA_REMAP;
	s.vmcb->save.rax = 0x1122334455667788ull;
	conf_svm_start_at(&s, npt_guest_store);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_VMMCALL, "the guest's store"))
		return;
	conf_check_u64(ctx, "data page", *(volatile uint64_t *)arch_phys_to_virt(n.data),
		       0x1122334455667788ull);
	conf_check_bit(ctx, "nested leaf D", leaf(&n, 0), X86_PTE_D, true);
}

/* A load of a guest-physical page the nested tables leave not present — Expect: #NPF(US|final), GPA */
CONF_SCENARIO(svm_npt_fault_not_present, "svm npt",
	      "Expect: #VMEXIT(NPF) with exit_info_1 = US | final-address (bit 32), exit_info_2 = "
	      "the GPA, and RIP at the load, which did not complete",
	      "APM vol. 2 §15.25.6", conf_npt_unsupported)
{
	struct conf_svm s;
	struct npt n;

	if (!setup(ctx, &s, &n))
		return;
	s.vcpu.gprs.rbx = GPA_ABSENT;
	s.vmcb->save.rax = 0x1111;
	conf_svm_start_at(&s, npt_guest_load);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_NPF, "a load of a not-present page"))
		return;
	conf_check_u64(ctx, "exit_info_1", s.vmcb->control.exit_info_1, NPF_US | NPF_FINAL);
	conf_check_u64(ctx, "exit_info_2 (GPA)", s.vmcb->control.exit_info_2, GPA_ABSENT);
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, npt_guest_load));
	conf_check_u64(ctx, "RAX (the load did not complete)", s.vmcb->save.rax, 0x1111);
}

/* A store to a read-only nested mapping — Expect: #NPF(P|RW|US|final), page unchanged */
CONF_SCENARIO(svm_npt_fault_write_protect, "svm npt",
	      "Expect: #VMEXIT(NPF) with exit_info_1 = P | RW | US | final-address, exit_info_2 = "
	      "the GPA; the page keeps its value",
	      "APM vol. 2 §15.25.6", conf_npt_unsupported)
{
	struct conf_svm s;
	struct npt n;

	if (!setup(ctx, &s, &n))
		return;
	s.vcpu.gprs.rbx = GPA_RO;
	s.vmcb->save.rax = 0x99;
	conf_svm_start_at(&s, npt_guest_store);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_NPF, "a store to a read-only page"))
		return;
	conf_check_u64(ctx, "exit_info_1", s.vmcb->control.exit_info_1,
		       NPF_P | NPF_RW | NPF_US | NPF_FINAL);
	conf_check_u64(ctx, "exit_info_2 (GPA)", s.vmcb->control.exit_info_2, GPA_RO);
	conf_check_u64(ctx, "page", *(volatile uint64_t *)arch_phys_to_virt(n.data_ro), 0);
}

/* A guest page directory the nested tables leave not present — Expect: #NPF on the walk (bit 33) */
CONF_SCENARIO(svm_npt_fault_guest_table, "svm npt",
	      "Expect: a guest load whose own page walk reaches a page directory that the nested "
	      "tables leave not present gives #VMEXIT(NPF) with exit_info_1 = RW | US | "
	      "guest-table (bit 33, not bit 32: the walk's accesses are user writes), "
	      "exit_info_2 = the GPA of the directory entry, RIP at the load",
	      "APM vol. 2 §15.25.6; KVM paging_tmpl.h (nested walk access)", conf_npt_unsupported)
{
	struct conf_svm s;
	struct npt n;
	uint64_t pdpt, pd1;

	if (!setup(ctx, &s, &n))
		return;
	/* The guest's directory for 1-2 GiB: PML4[0] -> PDPT[1]. */
	pdpt = ((uint64_t *)arch_phys_to_virt(s.guest.cr3))[0] & 0x000ffffffffff000ull;
	pd1 = ((uint64_t *)arch_phys_to_virt(pdpt))[1] & 0x000ffffffffff000ull;
	if (!conf_npt_unmap_4k(&n.tables, pd1)) {
		conf_error(ctx, "cannot unmap the guest's page directory at %#llx",
			   (unsigned long long)pd1);
		return;
	}
	s.vcpu.gprs.rbx = GPA_REMAP;
	s.vmcb->save.rax = 0x2222;
	conf_svm_start_at(&s, npt_guest_load);
	if (!conf_svm_run_expect(ctx, &s, SVM_EXIT_NPF, "a load through an unmapped guest table"))
		return;
	conf_check_u64(ctx, "exit_info_1", s.vmcb->control.exit_info_1,
		       NPF_RW | NPF_US | NPF_TABLE);
	/* Entry 0 of the directory: 1 GiB is the start of its range. */
	conf_check_u64(ctx, "exit_info_2 (GPA of the directory entry)",
		       s.vmcb->control.exit_info_2, pd1);
	conf_check_u64(ctx, "RIP", s.vmcb->save.rip, conf_svm_addr(&s, npt_guest_load));
	conf_check_u64(ctx, "RAX (the load did not complete)", s.vmcb->save.rax, 0x2222);
}
