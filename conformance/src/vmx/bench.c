/* SPDX-License-Identifier: MIT */
/*
 * The VMX world-switch benchmark (conf/bench.h): the scenarios' VMCS set-up
 * with the smallest guest there is, then a host loop that does no more per
 * exit than any hypervisor must — read the exit reason, guest RIP and the
 * instruction length (SDM vol. 3C §28.2.4), write RIP past the VMCALL.
 */
#include "conf/bench.h"

#include "../lib/ctx.h"
#include "vmx_util.h"

/*
 * loop: inc ecx; vmcall; jmp loop — ECX counts the guest's passes, so a
 * host that does not move RIP past the VMCALL (which exits before it
 * retires, SDM vol. 3C §28.1) is caught: the VMCALL would run again with
 * ECX unchanged. Then the exception handler the guest's IDT stubs jump to:
 * vmcall; hlt. An exception thus exits at exc, not at the loop's VMCALL.
 */
static const uint8_t bench_payload[] = {
	0xff, 0xc1,             /* loop: inc ecx */
	0x0f, 0x01, 0xc1,       /* vmcall */
	0xeb, 0xf9,             /* jmp loop */
	0x0f, 0x01, 0xc1, 0xf4, /* exc: vmcall; hlt */
};
#define BENCH_VMCALL 2u
#define BENCH_EXC 7u

static uint64_t field(uint32_t f)
{
	uint64_t v = 0;

	return arch_vmread(f, &v) == ARCH_OK ? v : ~0ull;
}

/* A VM exit for the guest's VMCALL, on its pass `pass`? Else why not, in why. */
static bool at_vmcall(const struct conf_vmx *s, arch_fault_t f, uint64_t pass,
		      const char *insn, char *why, size_t whylen)
{
	uint64_t vmcall = s->guest.entry + BENCH_VMCALL;
	char o[96];
	uint64_t reason, rip;

	if (f != ARCH_OK) {
		conf_vmx_outcome_format(conf_vmx_outcome(f), o, sizeof(o));
		hv_snprintf(why, whylen, "%s: %s", insn, o);
		return false;
	}
	reason = field(VM_EXIT_REASON);
	rip = field(GUEST_RIP);
	if ((reason & 0x8000ffffu) != VMX_EXIT_VMCALL || rip != vmcall) {
		conf_vmx_outcome_format(VMX_OUT_EXIT(reason), o, sizeof(o));
		hv_snprintf(why, whylen, "%s: %s at RIP 0x%llx, want VM exit VMCALL (18) at 0x%llx",
			    insn, o, (unsigned long long)rip, (unsigned long long)vmcall);
		return false;
	}
	if ((uint32_t)s->gprs.rcx != (uint32_t)pass) {
		hv_snprintf(why, whylen, "%s: guest ECX %llu at its VMCALL, want %llu (its passes)",
			    insn, (unsigned long long)(uint32_t)s->gprs.rcx,
			    (unsigned long long)(uint32_t)pass);
		return false;
	}
	return true;
}

static uint64_t trips(struct conf_vmx *s, uint64_t n, char *why, size_t whylen)
{
	uint64_t done;

	if (!at_vmcall(s, arch_vmlaunch(&s->gprs), 1, "VMLAUNCH", why, whylen))
		return 0;
	for (done = 0; done < n; done++) {
		uint64_t len = field(VM_EXIT_INSTRUCTION_LEN);

		if (arch_vmwrite(GUEST_RIP, field(GUEST_RIP) + len) != ARCH_OK) {
			hv_snprintf(why, whylen, "VMWRITE of guest RIP failed");
			break;
		}
		if (!at_vmcall(s, arch_vmresume(&s->gprs), done + 2, "VMRESUME", why, whylen))
			break;
	}
	return done;
}

/*
 * A VPID where the processor has them, as a hypervisor that cares for its
 * world switches uses one: without it every VM entry and exit drops the
 * guest's linear translations (SDM vol. 3C §29.4.3.1).
 */
static void use_vpid(struct conf_vmx *s)
{
	if (!conf_vmx_may1(s->caps.proc, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	    !conf_vmx_may1(s->caps.proc2, SECONDARY_EXEC_ENABLE_VPID))
		return;
	conf_vmx_w(s, CPU_BASED_VM_EXEC_CONTROL,
		   field(CPU_BASED_VM_EXEC_CONTROL) | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	conf_vmx_w(s, SECONDARY_VM_EXEC_CONTROL,
		   field(SECONDARY_VM_EXEC_CONTROL) | SECONDARY_EXEC_ENABLE_VPID);
	conf_vmx_w(s, VIRTUAL_PROCESSOR_ID, 1);
}

uint64_t conf_vmx_bench_roundtrips(uint64_t n, char *why, size_t whylen)
{
	static struct conf_vmx s;
	struct conf_payload p = { bench_payload, bench_payload + sizeof(bench_payload),
				  bench_payload };
	struct conf_result r;
	struct conf_ctx ctx = { &r };
	const char *no = conf_vmx_unsupported();
	uint64_t done;

	why[0] = '\0';
	if (no) {
		hv_snprintf(why, whylen, "no VMX: %s", no);
		return 0;
	}
	hv_memset(&r, 0, sizeof(r));
	if (!conf_vmx_setup(&ctx, &s, p, bench_payload + BENCH_EXC, bench_payload + BENCH_EXC)) {
		hv_snprintf(why, whylen, "%s", r.message);
		conf_vmx_off(&s);
		return 0;
	}
	use_vpid(&s);
	done = trips(&s, n, why, whylen);
	conf_vmx_off(&s);
	return done;
}
