/* SPDX-License-Identifier: MIT */
/*
 * The VMCS of a vCPU: making it current, its initial controls and guest
 * state for a guest from the guest builder, the world switch, and the
 * small operations on guest state (SDM vol. 3C chapters 25 and 27). The
 * host-state area is the platform's: arch_vmlaunch/arch_vmresume write it.
 */
#include "vx/arch.h"
#include "vx/event.h"
#include "hv/guest.h"
#include "hv/lib.h"
#include "hv/vmx.h"
#include "vmx_backend.h"
#include "x86/cpu.h"
#include "x86/msr.h"

#define VMX_OP_FILL(ret, name, args) .name = vmx_##name,
const struct hv_vcpu_ops vmx_vcpu_ops = {
	.name = "vmx",
	HV_VCPU_OPS(VMX_OP_FILL, VMX_OP_FILL)
};
#undef VMX_OP_FILL

/* Segment access rights (§25.4.1) of the guest builder's descriptors. */
#define AR_CODE64 (VMX_AR_G | VMX_AR_L | VMX_AR_P | VMX_AR_S | 0xbu)
#define AR_DATA (VMX_AR_G | VMX_AR_DB | VMX_AR_P | VMX_AR_S | 0x3u)
#define AR_TSS64_BUSY (VMX_AR_P | 0xbu)
#define DR7_INIT 0x400ull

void vmx_load(struct hv_vcpu *vcpu)
{
	(void)arch_vmptrld(to_vmx(vcpu)->vmcs_pa);
}

uint64_t vmx_r(uint32_t field)
{
	uint64_t v = 0;

	return arch_vmread(field, &v) == ARCH_OK ? v : 0;
}

void vmx_w(uint32_t field, uint64_t value)
{
	(void)arch_vmwrite(field, value);
}

void vmx_ctl(uint32_t field, uint32_t bits, bool on)
{
	uint64_t v = vmx_r(field);

	vmx_w(field, on ? (v | bits) : (v & ~(uint64_t)bits));
}

/* A control word: what the capability forces to 1, then want where allowed (§A.3). */
static uint32_t ctls(uint64_t cap, uint32_t want)
{
	return ((uint32_t)cap | want) & (uint32_t)(cap >> 32);
}

static void guest_segments(const struct hv_guest *g)
{
	static const uint32_t data_sel[] = { GUEST_ES_SELECTOR, GUEST_SS_SELECTOR,
					     GUEST_DS_SELECTOR, GUEST_FS_SELECTOR,
					     GUEST_GS_SELECTOR };

	vmx_w(GUEST_CS_SELECTOR, HV_GUEST_SEL_CODE64);
	vmx_w(GUEST_CS_BASE, 0);
	vmx_w(GUEST_CS_LIMIT, 0xffffffffu);
	vmx_w(GUEST_CS_AR_BYTES, AR_CODE64);
	/* The data-segment fields are at fixed distances from the selector's encoding. */
	for (unsigned i = 0; i < sizeof(data_sel) / sizeof(data_sel[0]); i++) {
		uint32_t idx = data_sel[i] - GUEST_ES_SELECTOR;

		vmx_w(data_sel[i], HV_GUEST_SEL_DATA);
		vmx_w(GUEST_ES_BASE + idx, 0);
		vmx_w(GUEST_ES_LIMIT + idx, 0xffffffffu);
		vmx_w(GUEST_ES_AR_BYTES + idx, AR_DATA);
	}
	/* No TSS: the IDT gates use IST 0 at CPL 0; TR must still be a busy TSS (§27.3.1.2). */
	vmx_w(GUEST_TR_SELECTOR, 0);
	vmx_w(GUEST_TR_BASE, 0);
	vmx_w(GUEST_TR_LIMIT, 0x67);
	vmx_w(GUEST_TR_AR_BYTES, AR_TSS64_BUSY);
	vmx_w(GUEST_LDTR_SELECTOR, 0);
	vmx_w(GUEST_LDTR_BASE, 0);
	vmx_w(GUEST_LDTR_LIMIT, 0);
	vmx_w(GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE);
	vmx_w(GUEST_GDTR_BASE, g->gdt_base);
	vmx_w(GUEST_GDTR_LIMIT, g->gdt_limit);
	vmx_w(GUEST_IDTR_BASE, g->idt_base);
	vmx_w(GUEST_IDTR_LIMIT, g->idt_limit);
}

/*
 * CR0 and CR4 as the guest has them: the bits IA32_VMX_CR0/CR4_FIXED0 force
 * (NE, VMXE...) are the host's, read from the shadow as the guest last
 * wrote them (§25.6.6), so the guest never sees VMXE or loses NE.
 */
void vmx_write_cr(struct hv_vcpu *vcpu, int cr, uint64_t guest_value)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	uint64_t fixed0 = cr == 0 ? v->cr0_fixed0 : v->cr4_fixed0;
	uint64_t fixed1 = cr == 0 ? v->cr0_fixed1 : v->cr4_fixed1;

	/* §26.3.1.1: unrestricted guest frees PE and PG. */
	if (cr == 0 && (vmx_r(SECONDARY_VM_EXEC_CONTROL) & SECONDARY_EXEC_UNRESTRICTED_GUEST) &&
	    (vmx_r(CPU_BASED_VM_EXEC_CONTROL) & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		fixed0 &= ~(X86_CR0_PE | X86_CR0_PG);
	vmx_w(cr == 0 ? CR0_GUEST_HOST_MASK : CR4_GUEST_HOST_MASK, fixed0);
	vmx_w(cr == 0 ? CR0_READ_SHADOW : CR4_READ_SHADOW, guest_value);
	vmx_w(cr == 0 ? GUEST_CR0 : GUEST_CR4, (guest_value | fixed0) & fixed1);
}

static void guest_state(struct hv_vcpu *vcpu, const struct hv_vmx_caps *c)
{
	const struct hv_guest *g = vcpu->guest;

	vmx_write_cr(vcpu, 0, X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG);
	vmx_write_cr(vcpu, 4, X86_CR4_PAE);
	vmx_w(GUEST_CR3, g->cr3);
	vmx_w(GUEST_DR7, DR7_INIT);
	vmx_w(GUEST_RSP, g->stack_top);
	vmx_w(GUEST_RIP, g->entry);
	vmx_w(GUEST_RFLAGS, X86_RFLAGS_FIXED);
	guest_segments(g);
	vmx_w(GUEST_IA32_DEBUGCTL, 0);
	vmx_w(GUEST_SYSENTER_CS, 0);
	vmx_w(GUEST_SYSENTER_ESP, 0);
	vmx_w(GUEST_SYSENTER_EIP, 0);
	if (c->entry >> 32 & VM_ENTRY_LOAD_IA32_EFER)
		vmx_w(GUEST_IA32_EFER, X86_EFER_LME | X86_EFER_LMA);
	vmx_w(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmx_w(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmx_w(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	/* §27.3.1.5: all ones means no shadow VMCS. */
	vmx_w(VMCS_LINK_POINTER, ~0ull);
}

/*
 * The controls every vCPU has: physical interrupts and NMIs exit (the
 * host's, and kicks, hv/vm.h), the guest's own NMIs are virtual ones
 * (nmi.c), HLT exits, I/O and MSR accesses exit as the
 * bitmaps say (all clear at first), #UD exits so that a guest's VMMCALL —
 * the guest builder's stubs use it — is the hypercall it is on SVM (KVM
 * does the same). EFER is loaded and saved where the processor can.
 */
static void controls(struct hv_vcpu *vcpu, const struct hv_vmx_caps *c)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	uint32_t pin = PIN_BASED_EXTERNAL_INTERRUPT_EXITING | PIN_BASED_NMI_EXITING |
		       PIN_BASED_VIRTUAL_NMIS;
	vmx_w(PIN_BASED_VM_EXEC_CONTROL, ctls(c->pin, pin));
	vmx_w(CPU_BASED_VM_EXEC_CONTROL,
	      ctls(c->proc, CPU_BASED_HLT_EXITING | CPU_BASED_USE_IO_BITMAPS |
				    CPU_BASED_USE_MSR_BITMAPS |
				    (c->proc2 ? CPU_BASED_ACTIVATE_SECONDARY_CONTROLS : 0)));
	if (c->proc2)
		vmx_w(SECONDARY_VM_EXEC_CONTROL, ctls(c->proc2, 0));
	vmx_w(VM_EXIT_CONTROLS, ctls(c->exit, VM_EXIT_HOST_ADDRESS_SPACE_SIZE |
						 VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER));
	vmx_w(VM_ENTRY_CONTROLS, ctls(c->entry, VM_ENTRY_IA32E_MODE_GUEST |
						   VM_ENTRY_LOAD_IA32_EFER));
	vmx_w(EXCEPTION_BITMAP, 1u << X86_VEC_UD);
	vmx_w(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmx_w(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmx_w(CR3_TARGET_COUNT, 0);
	vmx_w(IO_BITMAP_A, v->io_bitmap_pa);
	vmx_w(IO_BITMAP_B, v->io_bitmap_pa + 4096);
	vmx_w(MSR_BITMAP, v->msr_bitmap_pa);
	vmx_w(VM_EXIT_MSR_STORE_COUNT, 0);
	vmx_w(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmx_w(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmx_w(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmx_w(TSC_OFFSET, 0);
}

int vmx_vcpu_setup(struct hv_vcpu *vcpu)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	struct hv_vmx_caps c;

	hv_vmx_caps(&c);
	if (!c.vmx)
		return HV_ENOSVM;
	v->vmcs_pa = arch_page_alloc();
	v->msr_bitmap_pa = arch_page_alloc();
	v->io_bitmap_pa = arch_pages_alloc(2);
	if (!v->vmcs_pa || !v->msr_bitmap_pa || !v->io_bitmap_pa)
		return HV_ENOMEM;
	/* §25.2: the first 31 bits are the revision identifier. */
	*(uint32_t *)arch_phys_to_virt(v->vmcs_pa) = (uint32_t)(c.basic & VMX_BASIC_REVISION_MASK);
	v->cr0_fixed0 = c.cr0_fixed0;
	v->cr0_fixed1 = c.cr0_fixed1;
	v->cr4_fixed0 = c.cr4_fixed0;
	v->cr4_fixed1 = c.cr4_fixed1;
	v->ept_caps = c.ept ? c.ept_vpid : 0;
	v->has_timer = c.preemption_timer;
	v->timer_rate = (uint8_t)(c.misc & VMX_MISC_PREEMPTION_TIMER_RATE_MASK);
	v->irq_vector = -1;
	v->irq_injected = -1;
	/* §25.11.3: a new VMCS is cleared before its first use. */
	if (arch_vmclear(v->vmcs_pa) != ARCH_OK || arch_vmptrld(v->vmcs_pa) != ARCH_OK)
		return HV_EFAULT;
	controls(vcpu, &c);
	guest_state(vcpu, &c);
	return HV_OK;
}

arch_fault_t vmx_vcpu_enter(struct hv_vcpu *vcpu)
{
	struct hv_vmx_vcpu *v = to_vmx(vcpu);
	arch_fault_t f;

	vmx_load(vcpu);
	do {
		f = v->launched ? arch_vmresume(&vcpu->gprs) : arch_vmlaunch(&vcpu->gprs);
		if (f != ARCH_OK)
			return f;
		v->exit_reason = (uint32_t)vmx_r(VM_EXIT_REASON);
		/* A VM-entry failure leaves the launch state as it was (§27.8). */
		if (!(v->exit_reason & VMX_EXIT_REASON_FAILED_VMENTRY))
			v->launched = true;
	} while (vmx_exit_fastpath(vcpu));
	v->exit_qual = vmx_r(EXIT_QUALIFICATION);
	v->exit_intr_info = (uint32_t)vmx_r(VM_EXIT_INTR_INFO);
	v->exit_intr_error = (uint32_t)vmx_r(VM_EXIT_INTR_ERROR_CODE);
	v->idt_info = (uint32_t)vmx_r(IDT_VECTORING_INFO_FIELD);
	v->idt_error = (uint32_t)vmx_r(IDT_VECTORING_ERROR_CODE);
	v->exit_insn_len = (uint32_t)vmx_r(VM_EXIT_INSTRUCTION_LEN);
	v->exit_gpa = v->ept_caps ? vmx_r(GUEST_PHYSICAL_ADDRESS) : 0;
	/*
	 * A kick (hv/vm.h) is an external-interrupt exit without
	 * acknowledgement: the interrupt stays pending in the APIC until the
	 * host sets IF (§28.2.2); let it in here, where the platform's handler
	 * EOIs it.
	 */
	if (vcpu->vm && (v->exit_reason & VMX_EXIT_REASON_BASIC_MASK) == VMX_EXIT_EXTERNAL_INTERRUPT) {
		arch_irq_enable();
		arch_irq_disable();
	}
	return ARCH_OK;
}

/* §25.11.1: VMCLEAR before another processor makes the VMCS current. */
void vmx_vcpu_put(struct hv_vcpu *vcpu)
{
	(void)arch_vmclear(to_vmx(vcpu)->vmcs_pa);
	to_vmx(vcpu)->launched = false;
}

uint64_t vmx_get_rip(struct hv_vcpu *vcpu)
{
	vmx_load(vcpu);
	return vmx_r(GUEST_RIP);
}

void vmx_set_rip(struct hv_vcpu *vcpu, uint64_t rip)
{
	vmx_load(vcpu);
	vmx_w(GUEST_RIP, rip);
}

/*
 * Past the instruction that exited (its length: the VM-exit instruction
 * length, §28.2.5, or 3 for VMMCALL's #UD). A retired instruction ends
 * blocking by STI and by MOV SS (§25.4.2).
 */
void vmx_skip_instruction(struct hv_vcpu *vcpu, unsigned len)
{
	vmx_load(vcpu);
	vmx_w(GUEST_RIP, vmx_r(GUEST_RIP) + len);
	vmx_ctl(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS, false);
}

void vmx_write_injection(struct hv_vcpu *vcpu, uint32_t info, uint32_t error_code,
			 uint32_t insn_len)
{
	struct hv_event ev = { .type = HV_EV_INJECT, .source = HV_SRC_CORE, .v = { info, error_code } };

	vmx_load(vcpu);
	vmx_w(VM_ENTRY_INTR_INFO_FIELD, info);
	vmx_w(VM_ENTRY_EXCEPTION_ERROR_CODE, error_code);
	vmx_w(VM_ENTRY_INSTRUCTION_LEN, insn_len);
	to_vmx(vcpu)->entry_intr_info = info;
	arch_event(&ev);
}

/*
 * Software interrupts and exceptions are injected as the instruction that
 * raised them, whose length the entry needs (§27.6.1.1): the one that
 * exited, when re-injecting what its exit interrupted.
 */
void vmx_inject_event(struct hv_vcpu *vcpu, const struct hv_vcpu_event *ev)
{
	uint32_t len = 0;

	if (ev->type == HV_INJ_SOFT_INTR || ev->type == HV_INJ_SOFT_EXCEPTION ||
	    ev->type == HV_INJ_PRIV_SOFT_EXCEPTION)
		len = to_vmx(vcpu)->exit_insn_len;
	vmx_write_injection(vcpu, vmx_event_info(ev), ev->error_code, len);
}

/*
 * CS.selector = vector << 8, CS.base = vector << 12, IP = 0 (SDM vol. 3A
 * §9.4.4), active, and nothing blocked, as after INIT (table 9-1): a SIPI
 * exit may have saved blocking from the wait (Bochs reports blocking by
 * SMI there, which the next entry would refuse outside SMM, §27.3.1.5).
 */
void vmx_deliver_sipi_vector(struct hv_vcpu *vcpu, uint8_t vector)
{
	vmx_load(vcpu);
	vmx_w(GUEST_CS_SELECTOR, (uint64_t)vector << 8);
	vmx_w(GUEST_CS_BASE, (uint64_t)vector << 12);
	vmx_w(GUEST_RIP, 0);
	vmx_w(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmx_w(GUEST_INTERRUPTIBILITY_INFO, 0);
}

uint64_t hv_vmx_read(struct hv_vcpu *vcpu, uint32_t field)
{
	vmx_load(vcpu);
	return vmx_r(field);
}

int hv_vmx_write(struct hv_vcpu *vcpu, uint32_t field, uint64_t value)
{
	vmx_load(vcpu);
	return arch_vmwrite(field, value) == ARCH_OK ? HV_OK : HV_EFAULT;
}

int hv_vmx_set_ctl(struct hv_vcpu *vcpu, uint32_t field, uint32_t bits, bool on)
{
	uint64_t v = hv_vmx_read(vcpu, field);

	return hv_vmx_write(vcpu, field, on ? (v | bits) : (v & ~(uint64_t)bits));
}

static void set_bit(uint8_t *map, uint32_t bit, bool on)
{
	if (on)
		map[bit / 8] |= (uint8_t)(1u << (bit % 8));
	else
		map[bit / 8] &= (uint8_t)~(1u << (bit % 8));
}

void hv_vmx_io_intercept(struct hv_vcpu *vcpu, uint16_t port, bool intercept)
{
	/* Bitmap A covers ports 0-7FFFh, B the rest: contiguous here. */
	set_bit(arch_phys_to_virt(to_vmx(vcpu)->io_bitmap_pa), port, intercept);
}

int hv_vmx_msr_intercept(struct hv_vcpu *vcpu, uint32_t msr, bool read, bool write)
{
	uint8_t *map = arch_phys_to_virt(to_vmx(vcpu)->msr_bitmap_pa);
	uint32_t bit;

	/* §25.6.9: read low, read high, write low, write high; 1 KiB each. */
	if (msr <= 0x1fffu)
		bit = msr;
	else if (msr >= 0xc0000000u && msr <= 0xc0001fffu)
		bit = 8192 + (msr & 0x1fffu);
	else
		return HV_EINVAL;
	set_bit(map, bit, read);
	set_bit(map, 2048 * 8 + bit, write);
	return HV_OK;
}
