/* SPDX-License-Identifier: MIT */
/*
 * The guest's own paging maps any linear page to any physical page (APM
 * vol. 2 §5.3): a linear page sent to another page reads and writes that
 * page, two linear pages sent to one page alias, and a MOV to CR3 that
 * changes the mapping takes effect at once — with and without nested
 * paging under it. The guest builder maps 0-4 GiB with 2 MiB pages one to
 * one; the scenarios give one 2 MiB region 4 KiB pages of their own.
 */
#include "npt_util.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(npt_guest);
CONF_PAYLOAD_LABEL(npt_guest, load);
CONF_PAYLOAD_LABEL(npt_guest, store);

/* A 2 MiB region at 1 GiB that nothing else of the guest uses. */
#define REGION    0x40000000ull
#define LINEAR_A  (REGION + 0x5000)
#define LINEAR_B  (REGION + 0x9000)
#define VALUE     0x0123456789abcdefull
#define GPTE_RW   (X86_PTE_P | X86_PTE_W)

struct remap {
	struct conf_svm s;
	struct conf_npt n;
	uint64_t *pt;     /* the region's page table */
	uint64_t target;  /* the physical page the tests map to */
};

static bool setup(struct conf_ctx *ctx, struct remap *r, bool npt)
{
	uint64_t pt, *pde;

	if (!conf_svm_setup(ctx, &r->s, CONF_PAYLOAD(npt_guest), false) ||
	    (npt && !conf_npt_identity(ctx, &r->s, &r->n)))
		return false;
	pt = arch_page_alloc();
	r->target = arch_page_alloc();
	pde = hv_guest_pde(&r->s.guest, REGION);
	if (!pt || !r->target || !pde) {
		conf_error(ctx, "out of pages for the guest's page table");
		return false;
	}
	r->pt = arch_phys_to_virt(pt);
	for (uint64_t i = 0; i < 512; i++)
		r->pt[i] = (REGION + (i << 12)) | GPTE_RW;
	*pde = pt | GPTE_RW;
	*(volatile uint64_t *)arch_phys_to_virt(r->target) = VALUE;
	return true;
}

static void map(struct remap *r, uint64_t la, uint64_t pa)
{
	r->pt[(la >> 12) & 511] = pa | GPTE_RW;
}

static void remap_read_write(struct conf_ctx *ctx, bool npt)
{
	struct remap r;

	if (!setup(ctx, &r, npt))
		return;
	map(&r, LINEAR_A, r.target);
	r.s.vcpu.gprs.rbx = LINEAR_A + 8;
	*((volatile uint64_t *)arch_phys_to_virt(r.target) + 1) = VALUE ^ 1;
	conf_svm_start_at(&r.s, npt_guest_load);
	if (!conf_svm_run_expect(ctx, &r.s, SVM_EXIT_VMMCALL, "a load through the remapped page"))
		return;
	conf_check_u64(ctx, "value read (RAX)", r.s.vmcb->save.rax, VALUE ^ 1);
	r.s.vmcb->save.rax = 0x5555aaaa5555aaaaull;
	r.s.vcpu.gprs.rbx = LINEAR_A + 16;
	conf_svm_start_at(&r.s, npt_guest_store);
	if (!conf_svm_run_expect(ctx, &r.s, SVM_EXIT_VMMCALL, "a store through the remapped page"))
		return;
	conf_check_u64(ctx, "the physical page written",
		       *((volatile uint64_t *)arch_phys_to_virt(r.target) + 2), 0x5555aaaa5555aaaaull);
}

/* A linear page mapped to another physical page — Expect: loads and stores reach that page */
CONF_SCENARIO(svm_guest_paging_remap, "svm paging",
	      "Expect: a guest load and store at a linear page its page table sends to another "
	      "physical page read and write that page, not the one of the same number",
	      "APM vol. 2 §5.3", conf_svm_unsupported)
{
	remap_read_write(ctx, false);
}

/* The same under nested paging — Expect: the same, through both levels */
CONF_SCENARIO(svm_guest_paging_remap_npt, "svm paging npt",
	      "Expect: under nested paging that maps guest-physical memory one to one, a guest "
	      "load and store at a remapped linear page reach the page the guest's table names",
	      "APM vol. 2 §5.3, §15.25.1", conf_npt_unsupported)
{
	remap_read_write(ctx, true);
}

/* Two linear pages on one physical page — Expect: a store through one is read through the other */
CONF_SCENARIO(svm_guest_paging_alias, "svm paging",
	      "Expect: with two linear pages mapped to one physical page, a value stored through "
	      "the first is read through the second",
	      "APM vol. 2 §5.3", conf_svm_unsupported)
{
	struct remap r;

	if (!setup(ctx, &r, false))
		return;
	map(&r, LINEAR_A, r.target);
	map(&r, LINEAR_B, r.target);
	r.s.vmcb->save.rax = 0x1111222233334444ull;
	r.s.vcpu.gprs.rbx = LINEAR_A + 0x40;
	conf_svm_start_at(&r.s, npt_guest_store);
	if (!conf_svm_run_expect(ctx, &r.s, SVM_EXIT_VMMCALL, "the store through page A"))
		return;
	r.s.vcpu.gprs.rbx = LINEAR_B + 0x40;
	conf_svm_start_at(&r.s, npt_guest_load);
	if (conf_svm_run_expect(ctx, &r.s, SVM_EXIT_VMMCALL, "the load through page B"))
		conf_check_u64(ctx, "value read through B", r.s.vmcb->save.rax,
			       0x1111222233334444ull);
}
