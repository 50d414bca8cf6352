/* SPDX-License-Identifier: MIT */
/*
 * The modes of the hv's virtual local APIC with an xAPIC page (hv/vlapic.h)
 * and IA32_APIC_BASE, which moves it between them (SDM vol. 3 §10.4.3,
 * §10.12.5, figure 10-27): which transitions the MSR accepts, and what the
 * page, CPUID and the registers show on either side of them.
 */
#include "../guest/payload.h"
#include "x86/cpu.h"
#include "../core/backend.h"
#include "xapic_util.h"

#define CPUID_1_EDX_APIC (1u << 9)

/* xAPIC to x2APIC through IA32_APIC_BASE — Expect: x2APIC MSRs work, the page no longer answers */
CONF_SCENARIO_BACKENDS(xapic_to_x2apic, "mp apic npt",
	      "Expect: setting EXTD in IA32_APIC_BASE (FEE00D00h: EN, EXTD, BSP) moves the APIC to "
	      "x2APIC mode; TPR written 20h through the page reads 20h through MSR 808h; the page "
	      "no longer answers: a load of the version register reads FFFFFFFFh and a store of "
	      "70h to TPR leaves MSR 808h at 20h",
	      "SDM vol. 3 §10.12.1, §10.12.2, §10.12.5.1", conf_slat_unsupported)
{
	struct conf_mp m;

	if (!conf_xapic_setup(ctx, &m, 1, xapic_guest_to_x2apic) || !conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "IA32_APIC_BASE[31:0]", conf_xapic_out(&m, 0), 0xfee00d00u);
	conf_check_u64(ctx, "TPR (MSR 808h) kept from xAPIC mode", conf_xapic_out(&m, 1), 0x20);
	conf_check_u64(ctx, "version load from the page", conf_xapic_out(&m, 2), 0xffffffffu);
	conf_check_u64(ctx, "TPR (MSR 808h) after a store to the page", conf_xapic_out(&m, 3), 0x20);
}

/* The IA32_APIC_BASE transitions — Expect: the ones figure 10-27 allows; #GP(0) for the rest */
CONF_SCENARIO_BACKENDS(xapic_base_transitions, "mp apic npt",
	      "Expect: from xAPIC mode, WRMSR 1Bh with FEE00D00h (x2APIC) is accepted; FEE00900h "
	      "(x2APIC to xAPIC) is #GP(0); FEE00100h (disabled) is accepted; FEE00D00h (disabled "
	      "to x2APIC) and FEE00500h (EXTD without EN) are #GP(0); FEE00900h (xAPIC) is "
	      "accepted; FED00900h (another base, which the hv does not support: hv/vlapic.h) and "
	      "FEE00B00h (reserved bit 9) are #GP(0); after each, the MSR reads what was last "
	      "accepted",
	      "SDM vol. 3 §10.4.4, §10.12.5 (figure 10-27)", conf_slat_unsupported)
{
	/* After each step: #GP count so far, IA32_APIC_BASE[31:0]. */
	static const uint32_t want[8][2] = {
		{ 0, 0xfee00d00u }, { 1, 0xfee00d00u }, { 1, 0xfee00100u }, { 2, 0xfee00100u },
		{ 3, 0xfee00100u }, { 3, 0xfee00900u }, { 4, 0xfee00900u }, { 5, 0xfee00900u },
	};
	static const char *const step[8] = {
		"xAPIC -> x2APIC", "x2APIC -> xAPIC", "x2APIC -> disabled",
		"disabled -> x2APIC", "EXTD without EN", "disabled -> xAPIC",
		"base FED00000h", "reserved bit 9",
	};
	struct conf_mp m;
	char what[64];

	if (!conf_xapic_setup(ctx, &m, 1, xapic_guest_base_steps))
		return;
	hv_guest_set_gate(&m.guest, X86_VEC_GP, conf_xapic_addr(&m, xapic_guest_gp_handler));
	if (!conf_mp_run(&m))
		return;
	for (unsigned i = 0; i < 8; i++) {
		hv_snprintf(what, sizeof(what), "%s: #GP count", step[i]);
		conf_check_u64(ctx, what, conf_xapic_out(&m, 2 * i), want[i][0]);
		hv_snprintf(what, sizeof(what), "%s: IA32_APIC_BASE[31:0]", step[i]);
		conf_check_u64(ctx, what, conf_xapic_out(&m, 2 * i + 1), want[i][1]);
	}
	conf_check_u64(ctx, "#GP error code", *conf_mp_u32(&m, xapic_guest_gp_error), 0);
}

/* Disable the APIC, enable it again — Expect: no page, no CPUID bit, then power-up registers */
CONF_SCENARIO_BACKENDS(xapic_disable_enable, "mp apic npt",
	      "Expect: with EN cleared (IA32_APIC_BASE FEE00100h) a load of TPR from the page reads "
	      "FFFFFFFFh and CPUID Fn0000_0001 EDX[9] (APIC) is 0; with EN set again (FEE00900h) "
	      "the APIC is in xAPIC mode in its power-up state: TPR 0, SVR FFh and LDR 0 (they "
	      "were 40h, 1FFh and 03000000h), and CPUID EDX[9] is 1",
	      "SDM vol. 3 §10.4.3, §10.4.7.1", conf_slat_unsupported)
{
	struct conf_mp m;

	if (!conf_xapic_setup(ctx, &m, 1, xapic_guest_disable) || !conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "TPR load while disabled", conf_xapic_out(&m, 0), 0xffffffffu);
	conf_check_bit(ctx, "CPUID.1:EDX while disabled, APIC", conf_xapic_out(&m, 1),
		       CPUID_1_EDX_APIC, false);
	conf_check_u64(ctx, "TPR after enabling", conf_xapic_out(&m, 2), 0);
	conf_check_u64(ctx, "SVR after enabling", conf_xapic_out(&m, 3), 0xff);
	conf_check_u64(ctx, "LDR after enabling", conf_xapic_out(&m, 4), 0);
	conf_check_bit(ctx, "CPUID.1:EDX after enabling, APIC", conf_xapic_out(&m, 5),
		       CPUID_1_EDX_APIC, true);
}

/* A fixed IPI to a vCPU whose APIC is disabled — Expect: not accepted, IRR clear once enabled again */
CONF_SCENARIO_BACKENDS(xapic_disabled_drops_ipi, "mp apic npt",
	      "Expect: vCPU 1 clears EN in IA32_APIC_BASE (FEE00000h); a fixed IPI of vector 60h "
	      "that vCPU 0 then sends it through the ICR (01000000h to 310h, 4060h to 300h) is not "
	      "accepted: after vCPU 1 sets EN again (FEE00800h), IRR[127:96] (offset 230h) reads 0",
	      "SDM vol. 3 §10.4.3", conf_xapic_need2)
{
	struct conf_mp m;

	if (!conf_xapic_setup(ctx, &m, 2, xapic_guest_deaf_bsp) ||
	    !conf_xapic_start(&m, 1, xapic_guest_deaf_ap) || !conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "vCPU 1 IRR[127:96] after enabling", conf_xapic_out(&m, 0), 0);
}
