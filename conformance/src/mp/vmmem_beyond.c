/* SPDX-License-Identifier: MIT */
/*
 * Addresses beyond the platform's memory, where the core follows what a
 * guest or a table says (hv/ram.h, hv/svm_npt.h): the core's own read of a
 * guest instruction (for the xAPIC page, hv/vlapic.h) through guest tables
 * that lead there, and its walk of nested tables whose entries point
 * there. Each is refused without being read: on the hardware image such
 * an address is not even mapped, and reading it would fault the host.
 */
#include "vmmem_util.h"
#include "x86/apic.h"
#include "x86/cpu.h"
#include "x86/svm.h"

#define PAGE_SIZE 4096ull
#define MIB (1ull << 20)
/*
 * The guest's view of the edge: the load ends the page below EDGE_GVA, the
 * page at EDGE_GVA is the one the tables make hostile. 1 GiB aligned, so
 * that the two pages have page directories of their own.
 */
#define EDGE_GVA (5ull << 30)
#define VLAPIC_VERSION 0x00050014u
#define NPF_BITS (SVM_NPF_P | SVM_NPF_RW | SVM_NPF_US | SVM_NPF_FINAL | SVM_NPF_TABLE)
/* A fetch (§15.25.6), whose ID bit depends on EFER.NXE, so it is not compared. */
#define NPF_FETCH (SVM_NPF_US | SVM_NPF_FINAL)
/* The guest's own table walk: user writes at the nested level (§15.25.5). */
#define NPF_WALK (SVM_NPF_RW | SVM_NPF_US | SVM_NPF_TABLE)
#define GUEST_TABLE (X86_PTE_P | X86_PTE_W | X86_PTE_A)
#define ENTRY_ADDR 0x000ffffffffff000ull
#define NPT_TABLE (X86_PTE_P | X86_PTE_W | X86_PTE_U)

static const uint64_t edge_ram[] = { MIB };

/* The last page four-level tables reach below 2^MAXPHYADDR. */
static uint64_t last_page(void)
{
	struct hv_svm_caps caps;

	hv_svm_caps(&caps);
	return (1ull << (caps.maxphyaddr < 48 ? caps.maxphyaddr : 48)) - PAGE_SIZE;
}

enum edge_case { EDGE_PAGE, EDGE_TABLE };

/* What the guest does, in order: the load and MARK_MAIN1, the fetch at EDGE_GVA, MARK_DONE. */
enum edge_stage { EDGE_LOADED, EDGE_FETCHED, EDGE_DONE, EDGE_OVER };

struct edge {
	struct conf_vmmem v;
	uint64_t next_gpa;        /* edge_next, where EDGE_GVA maps once repaired */
	enum edge_stage stage;    /* the exit expected next */
	uint64_t rsi;             /* at MARK_MAIN1: the loaded version */
	uint64_t npf_rip, npf_info1, npf_gpa;
	struct hv_exit other;     /* an exit out of turn */
	uint64_t other_rip;
};

static bool is_mark(const struct hv_exit *exit, uint32_t mark)
{
	return exit->reason == HV_EXIT_HYPERCALL && (exit->hypercall.nr & 0xffffffffull) == mark;
}

static bool edge_exit(struct hv_vm *vm, struct hv_vcpu *vcpu, struct hv_exit *exit, void *arg)
{
	struct edge *e = arg;
	uint64_t *pdpte;

	(void)vm;
	if (e->stage == EDGE_LOADED && is_mark(exit, MARK_MAIN1)) {
		/* Now let the guest fetch the page the core refused to read. */
		e->rsi = hv_vcpu_get_gpr(vcpu, HV_GPR_RSI);
		hv_vcpu_set_rip(vcpu, EDGE_GVA);
		e->stage = EDGE_FETCHED;
		return true;
	}
	if (e->stage == EDGE_FETCHED && exit->reason == HV_EXIT_INTERNAL_ERROR &&
	    exit->internal.suberror == HV_INTERNAL_UNEXPECTED_EXIT &&
	    exit->kind == HV_EXIT_KIND_GPA_FAULT) {
		/* SVM's words for the #NPF (exit.raw): the checks name them. */
		e->npf_rip = hv_vcpu_get_rip(vcpu);
		e->npf_info1 = exit->raw.info1;
		e->npf_gpa = exit->raw.info2;
		/* The page made ordinary RAM: the guest's code after the load. */
		pdpte = conf_vmmem_guest_entry(&e->v, EDGE_GVA, 3);
		if (!pdpte)
			return false;
		*pdpte = 0;
		if (!conf_vmmem_map(&e->v, EDGE_GVA, e->next_gpa))
			return false;
		/* The guest's tables changed under it: no translation of them may stay. */
		hv_svm_vmcb(vcpu)->control.tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
		e->stage = EDGE_DONE;
		return true;
	}
	if (e->stage == EDGE_DONE && is_mark(exit, MARK_DONE)) {
		e->stage = EDGE_OVER;
		return false;
	}
	e->other = *exit;
	e->other_rip = hv_vcpu_get_rip(vcpu);
	return false;
}

/*
 * One run: the load that ends the page below EDGE_GVA, read by the core
 * itself (decode assists off for this vCPU), with the page at EDGE_GVA
 * mapped onto `beyond` (EDGE_PAGE) or through a page directory at
 * `beyond` (EDGE_TABLE).
 */
static void edge_run(struct conf_ctx *ctx, enum edge_case kase, uint64_t beyond,
		     const char *what)
{
	static const char *const stage_names[] = { "the load", "the fetch", "the last VMMCALL" };
	struct edge e;
	uint64_t *pdpte, load_gva;
	char name[120];
	int rc;

	hv_memset(&e, 0, sizeof(e));
	if (!conf_vmmem_setup(ctx, &e.v, 1, edge_ram, 1, vmmem_guest_edge_load, edge_exit, &e))
		return;
	e.next_gpa = conf_vmmem_addr(&e.v, vmmem_guest_edge_next);
	load_gva = EDGE_GVA - PAGE_SIZE + (uint64_t)(vmmem_guest_edge_load - vmmem_guest_edge_page);
	if (!conf_vmmem_map(&e.v, EDGE_GVA - PAGE_SIZE,
			    conf_vmmem_addr(&e.v, vmmem_guest_edge_page)) ||
	    !(pdpte = conf_vmmem_guest_entry(&e.v, EDGE_GVA, 3)) ||
	    (kase == EDGE_PAGE && !conf_vmmem_map(&e.v, EDGE_GVA, beyond))) {
		conf_error(ctx, "no RAM left for the guest's page tables");
		return;
	}
	if (kase == EDGE_TABLE)
		*pdpte = beyond | GUEST_TABLE;
	hv_svm_vcpu(e.v.vcpu)->decode_assists = false;
	hv_vcpu_set_rip(e.v.vcpu, load_gva);
	hv_vcpu_set_gpr(e.v.vcpu, HV_GPR_RBX, APIC_DEFAULT_BASE);

	rc = hv_vm_run(&e.v.vm);
	hv_snprintf(name, sizeof(name), "%s: hv_vm_run", what);
	if (!conf_check_u64(ctx, name, (uint64_t)(int64_t)rc, HV_OK))
		return;
	if (e.stage != EDGE_OVER) {
		conf_fail(ctx, "%s: at %s, exit %s (exit_code %#llx, exit_info_2 %#llx) at RIP %#llx",
			  what, stage_names[e.stage], hv_exit_reason_name(e.other.reason),
			  (unsigned long long)e.other.raw.reason,
			  (unsigned long long)e.other.raw.info2, (unsigned long long)e.other_rip);
		return;
	}
	hv_snprintf(name, sizeof(name), "%s: ESI, the version the core emulated the load with", what);
	conf_check_u64(ctx, name, e.rsi & 0xffffffffull, VLAPIC_VERSION);
	hv_snprintf(name, sizeof(name), "%s: #NPF RIP", what);
	conf_check_u64(ctx, name, e.npf_rip, EDGE_GVA);
	hv_snprintf(name, sizeof(name), "%s: #NPF exit_info_2, page", what);
	conf_check_masked(ctx, name, e.npf_gpa, ~(PAGE_SIZE - 1), beyond);
	hv_snprintf(name, sizeof(name), "%s: #NPF exit_info_1", what);
	conf_check_masked(ctx, name, e.npf_info1, NPF_BITS, kase == EDGE_TABLE ? NPF_WALK : NPF_FETCH);
}

/* The core's own instruction read meets guest tables that lead beyond memory — Expect: refused */
CONF_SCENARIO(svm_vmmem_guest_tables_beyond_memory, "svm core npt vmmem",
	      "Expect: with decode assists off, the core reads the instruction of an xAPIC load "
	      "near a page's end from guest memory itself, 15 bytes on into the next page, whose "
	      "guest mapping leads beyond the platform's memory: a PTE onto the last page below "
	      "2^MAXPHYADDR, or a page directory at 4 GiB. It refuses that page without reading "
	      "it and emulates the load from the bytes before (EAX = 00050014h); when the guest "
	      "then fetches from that page, #VMEXIT(NPF) is handed to the caller with exit_info_2 "
	      "in it and exit_info_1 = US | final address, or RW | US | guest table for the "
	      "directory; with the page mapped into RAM the guest runs to its last VMMCALL",
	      "hv/ram.h, hv/vlapic.h; APM vol. 2 §15.25.5, §15.25.6", conf_npt_unsupported)
{
	edge_run(ctx, EDGE_PAGE, last_page(), "PTE beyond");
	edge_run(ctx, EDGE_TABLE, 4ull << 30, "page directory beyond");
}

/* Nested tables whose entries point beyond the platform's memory — Expect: no translation */
CONF_SCENARIO(svm_vmmem_nested_tables_beyond_memory, "svm core npt vmmem",
	      "Expect: the platform gives no host pointer for 4 GiB, 512 GiB or the last page "
	      "below 2^MAXPHYADDR, and hv_npt_translate, walking nested tables whose PML4 entry "
	      "or page-directory entry points at a table there, finds no translation, while the "
	      "RAM they map still translates to itself",
	      "hv/svm_npt.h, vx/arch.h; APM vol. 2 §15.25.1", conf_npt_unsupported)
{
	const uint64_t beyond[3] = { 4ull << 30, 512ull << 30, last_page() };
	struct hv_npt npt;
	uint64_t ram, other, spa = 0, *pml4, *pd;
	char name[96];
	int rc;

	for (unsigned i = 0; i < 3; i++) {
		hv_snprintf(name, sizeof(name), "host pointer for %llxh",
			    (unsigned long long)beyond[i]);
		if (!conf_check_true(ctx, name, arch_phys_to_virt(beyond[i]) == NULL))
			return;
	}
	ram = arch_page_alloc();
	rc = ram ? hv_npt_init(&npt, APIC_DEFAULT_BASE) : HV_ENOMEM;
	if (rc == HV_OK)
		rc = hv_npt_map(&npt, ram, ram, PAGE_SIZE);
	if (rc) {
		conf_error(ctx, "nested tables: %s", hv_strerror(rc));
		return;
	}
	/*
	 * The PML4 entry for 512 GiB-1 TiB points at a table on the last page,
	 * and the page directory that maps the RAM page gets an entry, for the
	 * 2 MiB beside the page's, that points at a table at 4 GiB.
	 */
	pml4 = arch_phys_to_virt(npt.root);
	pml4[1] = beyond[2] | NPT_TABLE;
	pd = arch_phys_to_virt(pml4[(ram >> 39) & 511] & ENTRY_ADDR);
	pd = arch_phys_to_virt(pd[(ram >> 30) & 511] & ENTRY_ADDR);
	other = (ram & ~(2 * MIB - 1)) ^ (2 * MIB);
	pd[(other >> 21) & 511] = beyond[0] | NPT_TABLE;
	conf_check_true(ctx, "hv_npt_translate(512 GiB), PML4 entry beyond memory",
			!hv_npt_translate(&npt, 512ull << 30, &spa));
	conf_check_true(ctx, "hv_npt_translate(the 2 MiB beside the RAM page's), PDE beyond memory",
			!hv_npt_translate(&npt, other, &spa));
	if (conf_check_true(ctx, "hv_npt_translate of the RAM page", hv_npt_translate(&npt, ram, &spa)))
		conf_check_u64(ctx, "its system-physical address", spa, ram);
}
