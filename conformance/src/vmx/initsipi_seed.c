/* SPDX-License-Identifier: MIT */
/*
 * A lightweight hypervisor that does not monitor the local APIC starts its
 * guest's application processor: the guest on processor 0's side writes
 * the physical ICR (INIT, then SIPI); processor 1, running a guest in VMX
 * non-root operation, exits with INIT (3); its hypervisor puts the guest
 * into wait-for-SIPI and resumes; the SIPI exits (4) with the vector; the
 * hypervisor sets CS:IP from it, makes the guest active and resumes; the
 * guest's start-up code runs (SDM vol. 3C §25.2, §26.3.1.5, §28.2.1; facts
 * §(d) "INIT and SIPI around VMX").
 *
 * The start-up code runs in real mode, as after a physical SIPI (SDM vol.
 * 3A §9.4.4): with "unrestricted guest", which needs EPT (§26.2.1.1); here
 * EPT maps the first 4 GiB one to one. A processor without unrestricted
 * guest (IA32_VMX_PROCBASED_CTLS2[39] = 0) runs it in virtual-8086 mode
 * (start_v8086).
 */
#include "initsipi.h"

#include "x86/cpu.h"

CONF_PAYLOAD_LABEL(vmx_ap16, start);
CONF_PAYLOAD_LABEL(vmx_ap16, end);
CONF_PAYLOAD_LABEL(vmx_ap16, mark);
CONF_PAYLOAD_LABEL(vmx_ap16, cs);

#define EPT_RWX 7ull
#define EPT_LARGE (1ull << 7)
#define EPT_MT_SHIFT 3
#define IDENTITY_GIB 4u
/* Real-mode segments with "unrestricted guest" (§26.3.1.2): accessed code and data, P, S. */
#define AR_REAL_CODE 0x9bu
#define AR_REAL_DATA 0x93u
/* Virtual-8086 segments (§26.3.1.2): present, DPL 3, accessed read/write data. */
#define AR_V86 0xf3u
/* 32-bit paging, one 4-MByte page (CR4.PSE): the first 4 MiB one to one. */
#define PDE_4M_RW (1ull << 0 | 1ull << 1 | 1ull << 2 | 1ull << 7)

static bool unrestricted(const struct conf_vmx_caps *c)
{
	return conf_vmx_may1(c->proc2, SECONDARY_EXEC_UNRESTRICTED_GUEST) &&
	       conf_vmx_may1(c->proc2, SECONDARY_EXEC_ENABLE_EPT) &&
	       (c->ept_vpid & VMX_EPT_PAGE_WALK_4) && (c->ept_vpid & VMX_EPT_MEMTYPE_WB) &&
	       (c->ept_vpid & VMX_EPT_2MB_PAGE);
}

/* An EPT pointer to tables that map the first IDENTITY_GIB GiB one to one, write-back. */
static uint64_t ept_identity(void)
{
	uint64_t pml4 = arch_pages_alloc(2 + IDENTITY_GIB);
	uint64_t *e;

	if (!pml4)
		return 0;
	e = arch_phys_to_virt(pml4);
	e[0] = (pml4 + 4096) | EPT_RWX;
	e = arch_phys_to_virt(pml4 + 4096);
	for (uint32_t g = 0; g < IDENTITY_GIB; g++) {
		uint64_t pd = pml4 + 4096 * (2 + g);
		uint64_t *d = arch_phys_to_virt(pd);

		e[g] = pd | EPT_RWX;
		for (uint64_t i = 0; i < 512; i++)
			d[i] = (((uint64_t)g << 30) | (i << 21)) | EPT_LARGE | EPT_RWX |
			       ((uint64_t)X86_MEMTYPE_WB << EPT_MT_SHIFT);
	}
	return pml4 | X86_MEMTYPE_WB | (3ull << VMX_EPTP_WALK_LENGTH_SHIFT);
}

static const uint32_t seg_sel[] = { GUEST_ES_SELECTOR, GUEST_CS_SELECTOR, GUEST_SS_SELECTOR,
				    GUEST_DS_SELECTOR, GUEST_FS_SELECTOR, GUEST_GS_SELECTOR };

static void segment(struct conf_vmx *s, uint32_t sel_field, uint16_t sel, uint64_t base,
		    uint32_t ar)
{
	/* The segment fields are at fixed distances from the selector's encoding. */
	uint32_t idx = sel_field - GUEST_ES_SELECTOR;

	conf_vmx_w(s, sel_field, sel);
	conf_vmx_w(s, GUEST_ES_BASE + idx, base);
	conf_vmx_w(s, GUEST_ES_LIMIT + idx, 0xffff);
	conf_vmx_w(s, GUEST_ES_AR_BYTES + idx, ar);
}

/* Long mode off: the entry control and EFER (§26.3.1.1). */
static void leave_long_mode(struct conf_vmx *s)
{
	conf_vmx_set_ctl(s, VM_ENTRY_CONTROLS, VM_ENTRY_IA32E_MODE_GUEST, false);
	if (conf_vmx_r(VM_ENTRY_CONTROLS) & VM_ENTRY_LOAD_IA32_EFER)
		conf_vmx_w(s, GUEST_IA32_EFER, 0);
}

static void cr0_is(struct conf_vmx *s, uint64_t cr0)
{
	conf_vmx_w(s, GUEST_CR0, cr0);
	conf_vmx_w(s, CR0_READ_SHADOW, cr0);
}

/*
 * Without unrestricted guest CR0.PE and CR0.PG stay 1 (§26.3.1.1): the
 * nearest state that runs the same code at the same CS:IP is virtual-8086
 * mode (base = selector << 4, limit FFFFh), under 32-bit paging with one
 * 4-MByte page mapping the first 4 MiB one to one.
 */
static void start_v8086(struct conf_vmx *s, uint64_t pd, uint8_t vector)
{
	uint64_t cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_PG;
	uint64_t cr4 = X86_CR4_PSE;

	*(uint64_t *)arch_phys_to_virt(pd) = PDE_4M_RW;
	leave_long_mode(s);
	cr0_is(s, (cr0 | s->caps.cr0_fixed0) & s->caps.cr0_fixed1);
	cr4 = (cr4 | s->caps.cr4_fixed0) & s->caps.cr4_fixed1;
	conf_vmx_w(s, GUEST_CR4, cr4);
	conf_vmx_w(s, CR4_READ_SHADOW, cr4);
	conf_vmx_w(s, GUEST_CR3, pd);
	for (unsigned i = 0; i < sizeof(seg_sel) / sizeof(seg_sel[0]); i++)
		segment(s, seg_sel[i], 0, 0, AR_V86);
	segment(s, GUEST_CS_SELECTOR, (uint16_t)(vector << 8), (uint64_t)vector << 12, AR_V86);
	conf_vmx_w(s, GUEST_RIP, 0);
	conf_vmx_w(s, GUEST_RSP, 0);
	conf_vmx_w(s, GUEST_RFLAGS, X86_RFLAGS_FIXED | X86_RFLAGS_VM);
	conf_vmx_w(s, GUEST_INTERRUPTIBILITY_INFO, 0);
	conf_vmx_w(s, GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
}

/*
 * The state a SIPI with `vector` starts a processor in (SDM vol. 3A §9.4.4,
 * table 9-1): real mode, CS = vector << 8 with base vector << 12, IP = 0;
 * active, nothing blocked.
 */
static void start_real_mode(struct conf_vmx *s, uint64_t eptp, uint8_t vector)
{
	uint64_t cr0 = X86_CR0_ET | X86_CR0_NE;

	conf_vmx_set_ctl(s, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, true);
	conf_vmx_set_ctl(s, SECONDARY_VM_EXEC_CONTROL,
			 SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST, true);
	conf_vmx_w(s, EPT_POINTER, eptp);
	leave_long_mode(s);
	/* §26.3.1.1: with unrestricted guest, CR0.PE and CR0.PG are not fixed to 1. */
	cr0_is(s, (cr0 | (s->caps.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG))) & s->caps.cr0_fixed1);
	for (unsigned i = 0; i < sizeof(seg_sel) / sizeof(seg_sel[0]); i++)
		segment(s, seg_sel[i], 0, 0, AR_REAL_DATA);
	segment(s, GUEST_CS_SELECTOR, (uint16_t)(vector << 8), (uint64_t)vector << 12,
		AR_REAL_CODE);
	conf_vmx_w(s, GUEST_RIP, 0);
	conf_vmx_w(s, GUEST_RSP, 0);
	conf_vmx_w(s, GUEST_RFLAGS, X86_RFLAGS_FIXED);
	conf_vmx_w(s, GUEST_INTERRUPTIBILITY_INFO, 0);
	conf_vmx_w(s, GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
}

/* Processor 1: the hypervisor of the seed. */
static void vap_seed(void *arg)
{
	struct vap *v = arg;
	struct conf_vmx *s = &v->s;
	uint64_t tables = 0;

	v->apic_id = conf_apic_self_id();
	if (!CONF_VMX_SETUP_QUIET(s, vmx_guest)) {
		v->err = s->err;
		goto off;
	}
	v->unrestricted = unrestricted(&s->caps);
	tables = v->unrestricted ? ept_identity() : arch_page_alloc();
	if (!tables) {
		v->err = "no memory for the page tables";
		goto off;
	}
	conf_vmx_start_at(s, vmx_guest_spin);
	s->gprs.rbx = s->guest.stack_base;
	s->gprs.rcx = VAP_SPIN_ROUNDS;
	v->counter = arch_phys_to_virt(s->guest.stack_base);
	v->flag = (uint32_t *)(v->counter + 1);
	__atomic_store_n(&v->ready, 1, __ATOMIC_RELEASE);
	v->out = conf_vmx_enter_quiet(s);
	v->exit = s->exit;
	__atomic_store_n(&v->exited, 1, __ATOMIC_RELEASE);
	if (v->out != VMX_OUT_EXIT(VMX_EXIT_INIT_SIGNAL))
		goto off;
	/* The guest's processor took INIT: it waits for SIPI, nothing blocked. */
	conf_vmx_w(s, GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_WAIT_SIPI);
	conf_vmx_w(s, GUEST_INTERRUPTIBILITY_INFO, 0);
	__atomic_store_n(&v->parked, 1, __ATOMIC_RELEASE);
	v->out2 = conf_vmx_enter_quiet(s);
	v->qual2 = s->exit.qualification;
	if (v->out2 != VMX_OUT_EXIT(VMX_EXIT_SIPI_SIGNAL))
		goto off;
	if (v->unrestricted)
		start_real_mode(s, tables, (uint8_t)v->qual2);
	else
		start_v8086(s, tables, (uint8_t)v->qual2);
	v->out3 = conf_vmx_enter_quiet(s);
	v->rax3 = s->gprs.rax;
off:
	if (!v->ready)
		__atomic_store_n(&v->ready, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&v->vmxoff_next, 1, __ATOMIC_RELEASE);
	(void)arch_vmxoff();
	__atomic_store_n(&v->after_vmxoff, 1, __ATOMIC_RELEASE);
}

static uint32_t *ap16(const uint8_t *label)
{
	return (uint32_t *)((uint8_t *)arch_phys_to_virt(VAP_SIPI_PAGE) + (label - vmx_ap16_start));
}

/* The seed: INIT and SIPI through a hypervisor's guest start its AP code */
CONF_SCENARIO(vmx_init_sipi_starts_guest_ap, "vmx mp init sipi activity",
	      "Expect: processor 0 sends INIT, then SIPI (vector 75H) to processor 1, whose "
	      "guest spins: VM exit INIT (3); resumed in wait-for-SIPI, VM exit SIPI (4) with "
	      "qualification 75H; resumed active in real mode at CS = 7500H (base 75000H), "
	      "IP = 0 (unrestricted guest, EPT one to one; without unrestricted guest, "
	      "virtual-8086 mode at the same CS:IP), the start-up code runs: it writes its mark "
	      "and CS into its page and stops at VMCALL with MARK_MAIN2",
	      "SDM vol. 3C §25.2, §26.3.1, §28.2.1, vol. 3A §9.4.4; facts §(d) \"INIT and SIPI "
	      "around VMX\"",
	      vap_need2_wait_sipi)
{
	static const struct vap none;
	uint8_t *page = arch_phys_to_virt(VAP_SIPI_PAGE);

	hv_memset(page, 0, 4096);
	hv_memcpy(page, vmx_ap16_start, (size_t)(vmx_ap16_end - vmx_ap16_start));
	if (!vap_begin(ctx, vap_seed, &none) || !vap_guest_runs(ctx))
		goto out;
	vap_send(VAP_ICR_INIT);
	if (!conf_check_u64(ctx, "VM exit after the INIT", vap_wait(&vap.exited), 1) ||
	    !vap_check_exit(ctx, "VMLAUNCH, then INIT", vap.out, VMX_EXIT_INIT_SIGNAL) ||
	    !conf_check_u64(ctx, "VMRESUME into wait-for-SIPI", vap_wait(&vap.parked),
			    1))
		goto out;
	vap_send(APIC_DM_STARTUP | VAP_SIPI_VECTOR);
	if (!conf_check_u64(ctx, "processor 1's hypervisor finished",
			    vap_wait(&vap.vmxoff_next), 1) ||
	    !vap_check_exit(ctx, "VMRESUME in wait-for-SIPI, then SIPI", vap.out2,
			    VMX_EXIT_SIPI_SIGNAL))
		goto out;
	conf_check_u64(ctx, "SIPI exit qualification", vap.qual2, VAP_SIPI_VECTOR);
	if (vap_check_exit(ctx, "VMRESUME at the start-up code", vap.out3, VMX_EXIT_VMCALL))
		conf_check_u64(ctx, "guest RAX (where the start-up code stopped)", vap.rax3,
			       MARK_MAIN2);
	conf_check_u64(ctx, "the start-up code's mark", *ap16(vmx_ap16_mark), VMX_AP16_MARK);
	conf_check_u64(ctx, "CS the start-up code ran with", *ap16(vmx_ap16_cs) & 0xffff,
		       VAP_SIPI_VECTOR << 8);
out:
	vap_end(ctx);
}
