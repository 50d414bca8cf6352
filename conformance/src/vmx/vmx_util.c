/* SPDX-License-Identifier: MIT */
/* Helpers shared by the VMX scenarios (see vmx_util.h). */
#include "vmx_util.h"

#include "hv/vmx.h"
#include "x86/cpu.h"

static uint64_t rdmsr_or_zero(uint32_t msr)
{
	uint64_t v = 0;

	return arch_rdmsr(msr, &v) == ARCH_OK ? v : 0;
}

/* The hv backend's reading of the capability MSRs (hv/vmx.h), in this file's shape. */
bool conf_vmx_read_caps(struct conf_vmx_caps *c)
{
	struct hv_vmx_caps h;
	struct arch_cpuid id;

	hv_memset(c, 0, sizeof(*c));
	hv_vmx_caps(&h);
	if (!h.vmx)
		return false;
	c->basic = h.basic;
	c->pin = h.pin;
	c->proc = h.proc;
	c->proc2 = h.proc2;
	c->exit = h.exit;
	c->entry = h.entry;
	c->misc = h.misc;
	c->cr0_fixed0 = h.cr0_fixed0;
	c->cr0_fixed1 = h.cr0_fixed1;
	c->cr4_fixed0 = h.cr4_fixed0;
	c->cr4_fixed1 = h.cr4_fixed1;
	c->ept_vpid = h.ept_vpid;
	c->revision = (uint32_t)(c->basic & VMX_BASIC_REVISION_MASK);
	arch_cpuid(0x80000000u, 0, &id);
	c->maxphyaddr = 36;
	if (id.eax >= 0x80000008u) {
		arch_cpuid(0x80000008u, 0, &id);
		c->maxphyaddr = (uint8_t)(id.eax & 0xffu);
	}
	return true;
}

uint32_t conf_vmx_ctls(uint64_t cap, uint32_t want)
{
	return ((uint32_t)cap | want) & (uint32_t)(cap >> 32);
}

bool conf_vmx_may1(uint64_t cap, uint32_t bit)
{
	return ((uint32_t)(cap >> 32) & bit) == bit;
}

bool conf_vmx_must1(uint64_t cap, uint32_t bit)
{
	return ((uint32_t)cap & bit) == bit;
}

uint64_t conf_vmx_region(const struct conf_vmx *s)
{
	uint64_t pa = arch_page_alloc();

	/* §25.2: bits 30:0 of the first dword are the VMCS revision identifier. */
	if (pa)
		*(uint32_t *)arch_phys_to_virt(pa) = s->caps.revision;
	return pa;
}

/* Enters VMX operation; false with the reason in s->err. */
static bool vmx_on(struct conf_vmx *s)
{
	uint64_t fc = 0;
	arch_fault_t f;
	char o[96];

	if (!conf_vmx_read_caps(&s->caps)) {
		hv_snprintf(s->err, sizeof(s->err),
			    "RDMSR IA32_VMX_BASIC faulted with CPUID.01H:ECX[5] (VMX) = 1");
		return false;
	}
	/* §24.7: VMXON outside SMX needs IA32_FEATURE_CONTROL bits 0 and 2. */
	(void)arch_rdmsr(MSR_IA32_FEATURE_CONTROL, &fc);
	if (!(fc & MSR_FEATURE_CONTROL_LOCK) &&
	    arch_wrmsr(MSR_IA32_FEATURE_CONTROL, fc | MSR_FEATURE_CONTROL_LOCK |
					   MSR_FEATURE_CONTROL_VMXON_OUTSIDE_SMX) != ARCH_OK) {
		hv_snprintf(s->err, sizeof(s->err),
			    "WRMSR IA32_FEATURE_CONTROL (lock, VMXON outside SMX) faulted");
		return false;
	}
	s->vmxon_pa = conf_vmx_region(s);
	if (!s->vmxon_pa) {
		hv_snprintf(s->err, sizeof(s->err), "no memory for the VMXON region");
		return false;
	}
	f = arch_vmxon(s->vmxon_pa);
	if (f == ARCH_FAULT(6)) {
		hv_snprintf(s->err, sizeof(s->err),
			    "VMXON: #UD; the platform left CR4.VMXE clear (SDM vol. 3C §31.3 "
			    "\"VMXON\": #UD if CR4.VMXE = 0)");
		return false;
	}
	if (f != ARCH_OK) {
		conf_vmx_outcome_format(conf_vmx_outcome(f), o, sizeof(o));
		hv_snprintf(s->err, sizeof(s->err), "VMXON: %s, want VMsucceed", o);
		return false;
	}
	return true;
}

bool conf_vmx_on(struct conf_ctx *ctx, struct conf_vmx *s)
{
	if (vmx_on(s))
		return true;
	conf_error(ctx, "%s", s->err);
	return false;
}

bool conf_vmx_on_quiet(struct conf_vmx *s)
{
	return vmx_on(s);
}

void conf_vmx_w(struct conf_vmx *s, uint32_t field, uint64_t value)
{
	if (arch_vmwrite(field, value) != ARCH_OK && !s->bad_write)
		s->bad_write = field + 1;
}

uint64_t conf_vmx_r(uint32_t field)
{
	uint64_t v = 0;

	return arch_vmread(field, &v) == ARCH_OK ? v : 0;
}

void conf_vmx_set_ctl(struct conf_vmx *s, uint32_t field, uint32_t bits, bool on)
{
	uint64_t v = conf_vmx_r(field);

	conf_vmx_w(s, field, on ? (v | bits) : (v & ~(uint64_t)bits));
}

/* Segment access rights (§25.4.1): the descriptors of the guest builder's GDT. */
#define AR_CODE64 0xa09bu /* execute/read accessed, S, P, L, G */
#define AR_DATA 0xc093u   /* read/write accessed, S, P, D/B, G */
#define AR_TSS64_BUSY 0x8bu
#define GUEST_SEL_TR 0x20u

static void guest_segments(struct conf_vmx *s)
{
	static const uint32_t data_sel[] = { GUEST_ES_SELECTOR, GUEST_SS_SELECTOR,
					     GUEST_DS_SELECTOR, GUEST_FS_SELECTOR,
					     GUEST_GS_SELECTOR };
	unsigned i;

	conf_vmx_w(s, GUEST_CS_SELECTOR, HV_GUEST_SEL_CODE64);
	conf_vmx_w(s, GUEST_CS_BASE, 0);
	conf_vmx_w(s, GUEST_CS_LIMIT, 0xffffffffu);
	conf_vmx_w(s, GUEST_CS_AR_BYTES, AR_CODE64);
	/* The data-segment fields are at fixed distances from the selector's encoding. */
	for (i = 0; i < sizeof(data_sel) / sizeof(data_sel[0]); i++) {
		uint32_t idx = data_sel[i] - GUEST_ES_SELECTOR;

		conf_vmx_w(s, data_sel[i], HV_GUEST_SEL_DATA);
		conf_vmx_w(s, GUEST_ES_BASE + idx, 0);
		conf_vmx_w(s, GUEST_ES_LIMIT + idx, 0xffffffffu);
		conf_vmx_w(s, GUEST_ES_AR_BYTES + idx, AR_DATA);
	}
	conf_vmx_w(s, GUEST_TR_SELECTOR, GUEST_SEL_TR);
	conf_vmx_w(s, GUEST_TR_BASE, s->tss_pa);
	conf_vmx_w(s, GUEST_TR_LIMIT, 0x67);
	conf_vmx_w(s, GUEST_TR_AR_BYTES, AR_TSS64_BUSY);
	conf_vmx_w(s, GUEST_LDTR_SELECTOR, 0);
	conf_vmx_w(s, GUEST_LDTR_BASE, 0);
	conf_vmx_w(s, GUEST_LDTR_LIMIT, 0);
	conf_vmx_w(s, GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE);
	conf_vmx_w(s, GUEST_GDTR_BASE, s->guest.gdt_base);
	conf_vmx_w(s, GUEST_GDTR_LIMIT, s->guest.gdt_limit);
	conf_vmx_w(s, GUEST_IDTR_BASE, s->guest.idt_base);
	conf_vmx_w(s, GUEST_IDTR_LIMIT, s->guest.idt_limit);
}

static void guest_state(struct conf_vmx *s)
{
	const struct conf_vmx_caps *c = &s->caps;
	uint64_t cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
	uint64_t cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	uint64_t efer = rdmsr_or_zero(MSR_EFER);

	/* §24.8: bits fixed by IA32_VMX_CR0/CR4_FIXED0/1 hold in VMX non-root operation too. */
	cr0 = (cr0 | c->cr0_fixed0) & c->cr0_fixed1;
	cr4 = (cr4 | c->cr4_fixed0) & c->cr4_fixed1;
	conf_vmx_w(s, GUEST_CR0, cr0);
	conf_vmx_w(s, GUEST_CR3, s->guest.cr3);
	conf_vmx_w(s, GUEST_CR4, cr4);
	conf_vmx_w(s, CR0_READ_SHADOW, cr0);
	conf_vmx_w(s, CR4_READ_SHADOW, cr4);
	conf_vmx_w(s, GUEST_DR7, 0x400);
	conf_vmx_w(s, GUEST_RSP, s->guest.stack_top);
	conf_vmx_w(s, GUEST_RIP, s->guest.entry);
	conf_vmx_w(s, GUEST_RFLAGS, X86_RFLAGS_FIXED);
	guest_segments(s);
	conf_vmx_w(s, GUEST_IA32_DEBUGCTL, 0);
	conf_vmx_w(s, GUEST_SYSENTER_CS, 0);
	conf_vmx_w(s, GUEST_SYSENTER_ESP, 0);
	conf_vmx_w(s, GUEST_SYSENTER_EIP, 0);
	if (conf_vmx_may1(c->entry, VM_ENTRY_LOAD_IA32_EFER))
		conf_vmx_w(s, GUEST_IA32_EFER,
			   (efer & (X86_EFER_SCE | X86_EFER_NXE)) | X86_EFER_LME | X86_EFER_LMA);
	conf_vmx_w(s, GUEST_INTERRUPTIBILITY_INFO, 0);
	conf_vmx_w(s, GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	conf_vmx_w(s, GUEST_PENDING_DBG_EXCEPTIONS, 0);
	/* §27.3.1.5: all ones means no shadow VMCS. */
	conf_vmx_w(s, VMCS_LINK_POINTER, ~0ull);
}

static void controls(struct conf_vmx *s)
{
	const struct conf_vmx_caps *c = &s->caps;
	uint32_t entry = VM_ENTRY_IA32E_MODE_GUEST;

	if (conf_vmx_may1(c->entry, VM_ENTRY_LOAD_IA32_EFER))
		entry |= VM_ENTRY_LOAD_IA32_EFER;
	conf_vmx_w(s, PIN_BASED_VM_EXEC_CONTROL, conf_vmx_ctls(c->pin, 0));
	conf_vmx_w(s, CPU_BASED_VM_EXEC_CONTROL, conf_vmx_ctls(c->proc, 0));
	if (c->proc2)
		conf_vmx_w(s, SECONDARY_VM_EXEC_CONTROL, conf_vmx_ctls(c->proc2, 0));
	/* The platform's host is a 64-bit one (§27.2.4). */
	conf_vmx_w(s, VM_EXIT_CONTROLS, conf_vmx_ctls(c->exit, VM_EXIT_HOST_ADDRESS_SPACE_SIZE));
	conf_vmx_w(s, VM_ENTRY_CONTROLS, conf_vmx_ctls(c->entry, entry));
	conf_vmx_w(s, EXCEPTION_BITMAP, 0);
	conf_vmx_w(s, PAGE_FAULT_ERROR_CODE_MASK, 0);
	conf_vmx_w(s, PAGE_FAULT_ERROR_CODE_MATCH, 0);
	conf_vmx_w(s, CR3_TARGET_COUNT, 0);
	conf_vmx_w(s, CR0_GUEST_HOST_MASK, 0);
	conf_vmx_w(s, CR4_GUEST_HOST_MASK, 0);
	conf_vmx_w(s, VM_EXIT_MSR_STORE_COUNT, 0);
	conf_vmx_w(s, VM_EXIT_MSR_LOAD_COUNT, 0);
	conf_vmx_w(s, VM_ENTRY_MSR_LOAD_COUNT, 0);
	conf_vmx_w(s, VM_ENTRY_INTR_INFO_FIELD, 0);
	conf_vmx_w(s, VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
	conf_vmx_w(s, VM_ENTRY_INSTRUCTION_LEN, 0);
	conf_vmx_w(s, TSC_OFFSET, 0);
}

bool conf_vmx_setup_quiet(struct conf_vmx *s, struct conf_payload p, const uint8_t *exc,
			  const uint8_t *exc_vmcall)
{
	struct hv_guest_config gc = {
		.payload = p.start,
		.payload_len = (size_t)(p.end - p.start),
		.entry = (size_t)(p.entry - p.start),
		.common_handler = (size_t)(exc - p.start),
	};
	arch_fault_t f;
	char o[96];
	int rc;

	hv_memset(s, 0, sizeof(*s));
	s->payload = p;
	s->exc_vmcall = exc_vmcall;
	if (!vmx_on(s))
		return false;
	rc = hv_guest_build(&s->guest, &gc);
	if (rc) {
		hv_snprintf(s->err, sizeof(s->err), "hv_guest_build: %s", hv_strerror(rc));
		return false;
	}
	s->tss_pa = arch_page_alloc();
	s->vmcs_pa = conf_vmx_region(s);
	if (!s->tss_pa || !s->vmcs_pa) {
		hv_snprintf(s->err, sizeof(s->err), "no memory for the VMCS");
		return false;
	}
	f = arch_vmclear(s->vmcs_pa);
	if (f == ARCH_OK)
		f = arch_vmptrld(s->vmcs_pa);
	if (f != ARCH_OK) {
		conf_vmx_outcome_format(conf_vmx_outcome(f), o, sizeof(o));
		hv_snprintf(s->err, sizeof(s->err), "VMCLEAR/VMPTRLD of a fresh VMCS: %s", o);
		return false;
	}
	controls(s);
	guest_state(s);
	if (s->bad_write) {
		hv_snprintf(s->err, sizeof(s->err), "VMWRITE of field 0x%x failed",
			    s->bad_write - 1);
		return false;
	}
	return true;
}

bool conf_vmx_setup(struct conf_ctx *ctx, struct conf_vmx *s, struct conf_payload p,
		    const uint8_t *exc, const uint8_t *exc_vmcall)
{
	if (conf_vmx_setup_quiet(s, p, exc, exc_vmcall))
		return true;
	conf_error(ctx, "%s", s->err);
	return false;
}

static const char *const vector_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "vector 9",
	"#TS", "#NP", "#SS", "#GP", "#PF", "vector 15", "#MF", "#AC", "#MC", "#XF",
	"vector 20", "#CP", "vector 22", "vector 23", "vector 24", "vector 25",
	"vector 26", "vector 27", "#HV", "#VC", "#SX", "vector 31",
};

conf_vmx_outcome_t conf_vmx_outcome(arch_fault_t f)
{
	if (f == ARCH_OK)
		return VMX_OUT_SUCCEED;
	if (f & ARCH_FAULT_VALID)
		return VMX_OUT_FAULT(ARCH_FAULT_VECTOR(f));
	if (f == ARCH_VMFAIL_INVALID)
		return VMX_OUT_FAIL_INVALID;
	return VMX_OUT_FAIL_VALID(conf_vmx_r(VM_INSTRUCTION_ERROR));
}

const char *conf_vmx_reason_name(uint32_t basic)
{
	const char *n = vmx_exit_reason_name(basic);

	return n ? n : "undefined";
}

void conf_vmx_outcome_format(conf_vmx_outcome_t o, char *buf, size_t size)
{
	uint32_t v = (uint32_t)o;
	const char *t;

	switch (o >> 60) {
	case 0:
		hv_snprintf(buf, size, "VMsucceed");
		return;
	case 1:
		if (v == 0xff)
			hv_snprintf(buf, size, "no VM entry (set-up failed)");
		else
			hv_snprintf(buf, size, "%s", v < 32 ? vector_names[v] : "fault");
		return;
	case 2:
		hv_snprintf(buf, size, "VMfailInvalid");
		return;
	case 3:
		t = vmx_insn_error_text(v);
		hv_snprintf(buf, size, "VMfailValid(%u: %s)", v, t ? t : "unassigned");
		return;
	case 4:
		hv_snprintf(buf, size, "%s %s (%u)",
			    v & VMX_EXIT_REASON_FAILED_VMENTRY ? "VM-entry failure" : "VM exit",
			    conf_vmx_reason_name(v & VMX_EXIT_REASON_BASIC_MASK),
			    v & VMX_EXIT_REASON_BASIC_MASK);
		return;
	}
	hv_snprintf(buf, size, "no outcome (0x%llx)", (unsigned long long)o);
}

bool conf_vmx_check(struct conf_ctx *ctx, const char *what, conf_vmx_outcome_t got,
		    conf_vmx_outcome_t want)
{
	char g[128], w[128];
	bool ok = got == want;

	conf_count_check(ctx, what, ok);
	if (!ok) {
		conf_vmx_outcome_format(got, g, sizeof(g));
		conf_vmx_outcome_format(want, w, sizeof(w));
		conf_fail(ctx, "%s: got %s, want %s", what, g, w);
	}
	return ok;
}

static void read_exit(struct conf_vmx *s)
{
	struct conf_vmx_exit *e = &s->exit;

	e->reason = (uint32_t)conf_vmx_r(VM_EXIT_REASON);
	e->qualification = conf_vmx_r(EXIT_QUALIFICATION);
	e->intr_info = (uint32_t)conf_vmx_r(VM_EXIT_INTR_INFO);
	e->intr_error = (uint32_t)conf_vmx_r(VM_EXIT_INTR_ERROR_CODE);
	e->idt_info = (uint32_t)conf_vmx_r(IDT_VECTORING_INFO_FIELD);
	e->idt_error = (uint32_t)conf_vmx_r(IDT_VECTORING_ERROR_CODE);
	e->insn_len = (uint32_t)conf_vmx_r(VM_EXIT_INSTRUCTION_LEN);
	e->guest_linear = conf_vmx_r(GUEST_LINEAR_ADDRESS);
	e->guest_physical = s->caps.ept_vpid ? conf_vmx_r(GUEST_PHYSICAL_ADDRESS) : 0;
	e->rip = conf_vmx_r(GUEST_RIP);
	e->rsp = conf_vmx_r(GUEST_RSP);
	e->rflags = conf_vmx_r(GUEST_RFLAGS);
}

conf_vmx_outcome_t conf_vmx_enter_quiet(struct conf_vmx *s)
{
	arch_fault_t f;

	if (s->bad_write)
		return VMX_OUT_FAULT(0xff);
	hv_memset(&s->exit, 0, sizeof(s->exit));
	f = s->launched ? arch_vmresume(&s->gprs) : arch_vmlaunch(&s->gprs);
	if (f != ARCH_OK)
		return conf_vmx_outcome(f);
	read_exit(s);
	/* §27.8: a VM entry that fails while loading guest state leaves the VMCS clear. */
	if (!(s->exit.reason & VMX_EXIT_REASON_FAILED_VMENTRY))
		s->launched = true;
	return VMX_OUT_EXIT(s->exit.reason);
}

conf_vmx_outcome_t conf_vmx_enter(struct conf_ctx *ctx, struct conf_vmx *s)
{
	if (s->bad_write) {
		conf_error(ctx, "VMWRITE of field 0x%x failed", s->bad_write - 1);
		return VMX_OUT_FAULT(0xff);
	}
	return conf_vmx_enter_quiet(s);
}

bool conf_vmx_run_expect(struct conf_ctx *ctx, struct conf_vmx *s, uint32_t reason,
			 const char *what)
{
	return conf_vmx_check(ctx, what, conf_vmx_enter(ctx, s), VMX_OUT_EXIT(reason));
}

void conf_vmx_skip(struct conf_vmx *s)
{
	conf_vmx_w(s, GUEST_RIP, s->exit.rip + s->exit.insn_len);
}

bool conf_vmx_run_to_mark(struct conf_ctx *ctx, struct conf_vmx *s, uint32_t mark,
			  const char *what)
{
	if (!conf_vmx_run_expect(ctx, s, VMX_EXIT_VMCALL, what))
		return false;
	if (!conf_check_u64(ctx, "guest RAX (where the guest stopped)", s->gprs.rax, mark))
		return false;
	conf_vmx_skip(s);
	return true;
}

uint64_t conf_vmx_addr(const struct conf_vmx *s, const uint8_t *label)
{
	return hv_guest_addr(&s->guest, (size_t)(label - s->payload.start));
}

void *conf_vmx_ptr(const struct conf_vmx *s, const uint8_t *label)
{
	return hv_guest_ptr(&s->guest, conf_vmx_addr(s, label));
}

void conf_vmx_start_at(struct conf_vmx *s, const uint8_t *label)
{
	conf_vmx_w(s, GUEST_RIP, conf_vmx_addr(s, label));
}

bool conf_vmx_exception_frame(struct conf_vmx *s, uint8_t *vector, struct hv_guest_frame *f)
{
	uint64_t rsp = s->exit.rsp;

	if ((s->exit.reason & 0xffffu) != VMX_EXIT_VMCALL ||
	    s->exit.rip != conf_vmx_addr(s, s->exc_vmcall) ||
	    (s->gprs.rax & HV_GUEST_EXC_MAGIC_MASK) != HV_GUEST_EXC_MAGIC)
		return false;
	*vector = (uint8_t)s->gprs.rax;
	hv_memset(f, 0, sizeof(*f));
	/* Only read a frame that lies on the guest's own stack. */
	if (rsp >= s->guest.stack_base && rsp + sizeof(*f) <= s->guest.stack_top)
		hv_memcpy(f, hv_guest_ptr(&s->guest, rsp), sizeof(*f));
	return true;
}

bool conf_vmx_expect_exception(struct conf_ctx *ctx, struct conf_vmx *s, uint8_t vector,
			       struct hv_guest_frame *f)
{
	uint8_t got = 0;

	if (!conf_vmx_exception_frame(s, &got, f)) {
		conf_fail(ctx, "guest did not reach its exception handler (exit reason %u at RIP 0x%llx, RAX 0x%llx), want %s",
			  s->exit.reason, (unsigned long long)s->exit.rip,
			  (unsigned long long)s->gprs.rax, vector < 32 ? vector_names[vector] : "an interrupt");
		return false;
	}
	return conf_check_u64(ctx, "vector the guest took", got, vector);
}

void conf_vmx_off(struct conf_vmx *s)
{
	(void)s;
	(void)arch_vmxoff();
}

static bool cpu_has_vmx(void)
{
	struct arch_cpuid id;

	arch_cpuid(1, 0, &id);
	return (id.ecx & (1u << 5)) != 0;
}

const char *conf_vmx_unsupported(void)
{
	uint64_t fc = 0;

	if (!cpu_has_vmx())
		return "CPUID.01H:ECX[5] (VMX) = 0";
	(void)arch_rdmsr(MSR_IA32_FEATURE_CONTROL, &fc);
	if ((fc & MSR_FEATURE_CONTROL_LOCK) && !(fc & MSR_FEATURE_CONTROL_VMXON_OUTSIDE_SMX))
		return "IA32_FEATURE_CONTROL locked with bit 2 (VMXON outside SMX) = 0";
	return NULL;
}

const char *conf_vmx_ept_unsupported(void)
{
	const char *why = conf_vmx_unsupported();
	struct conf_vmx_caps c;

	if (why)
		return why;
	(void)conf_vmx_read_caps(&c);
	if (!conf_vmx_may1(c.proc2, SECONDARY_EXEC_ENABLE_EPT))
		return "IA32_VMX_PROCBASED_CTLS2[33] (enable EPT allowed-1) = 0";
	if (!(c.ept_vpid & VMX_EPT_PAGE_WALK_4) || !(c.ept_vpid & VMX_EPT_MEMTYPE_WB))
		return "IA32_VMX_EPT_VPID_CAP[6] (4-level walk) or [14] (WB) = 0";
	return NULL;
}

const char *conf_vmx_preemption_timer_unsupported(void)
{
	const char *why = conf_vmx_unsupported();
	struct conf_vmx_caps c;

	if (why)
		return why;
	(void)conf_vmx_read_caps(&c);
	return conf_vmx_may1(c.pin, PIN_BASED_VMX_PREEMPTION_TIMER)
		       ? NULL
		       : "IA32_VMX_PINBASED_CTLS[38] (activate VMX-preemption timer allowed-1) = 0";
}

const char *conf_vmx_vnmi_unsupported(void)
{
	const char *why = conf_vmx_unsupported();
	struct conf_vmx_caps c;

	if (why)
		return why;
	(void)conf_vmx_read_caps(&c);
	if (!conf_vmx_may1(c.pin, PIN_BASED_VIRTUAL_NMIS))
		return "IA32_VMX_PINBASED_CTLS[37] (virtual NMIs allowed-1) = 0";
	return conf_vmx_may1(c.proc, CPU_BASED_NMI_WINDOW_EXITING)
		       ? NULL
		       : "IA32_VMX_PROCBASED_CTLS[54] (NMI-window exiting allowed-1) = 0";
}

static char need_reason[64];

const char *conf_vmx_need2(void)
{
	const char *why = conf_vmx_unsupported();
	uint32_t have = arch_cpu_count();

	if (why)
		return why;
	if (have >= 2)
		return NULL;
	hv_snprintf(need_reason, sizeof(need_reason), "needs 2 processors; the platform has %u",
		    have);
	return need_reason;
}
