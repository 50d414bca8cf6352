/* SPDX-License-Identifier: MIT */
/*
 * The conformance side of the VMRUN consistency-check table
 * (include/x86/svm_checks.h): for every rule there, one macro
 * CONF_CC_<rule>(S, N, ...) saying how the suite provokes it.
 * vmrun_checks.c expands SVM_VMRUN_CHECKS with it, so a rule with no
 * macro here leaves an undefined CONF_CC_<rule>(...) in that file and the
 * build fails; the rule's identifier and section (the `...`) come from the
 * table itself and are only passed on, never spelt here.
 *
 * A rule either has scenarios, each one
 *
 *   S(__VA_ARGS__, name, groups, unsupported, base, outcome, expect, ref, steps...)
 *
 *   name         the scenario (conf_sc_<name>, listed in suite.c);
 *   groups       as for CONF_SCENARIO;
 *   unsupported  the SKIP reason function;
 *   base         a known-legal starting point (vmrun_checks.c: base_*);
 *   outcome      INVALID (VMRUN exits with VMEXIT_INVALID) or LEGAL (the
 *                guest runs to its VMMCALL: a boundary the manual makes
 *                legal);
 *   expect       the state, in the manual's words ("when ..."); the Expect
 *                line puts the outcome before it and the rule's identifier
 *                and section after it;
 *   ref          the sections the scenario relies on;
 *   steps        CC_STEP(what, mutation), applied and run in order, each
 *                a small function (m_*) in vmrun_checks.c;
 *
 * or says in N(__VA_ARGS__, because) why portable code has none.
 */
#ifndef CONF_SRC_SVM_VMRUN_RULES_H
#define CONF_SRC_SVM_VMRUN_RULES_H

#define CONF_CC_VMRUN_INTERCEPT(S, N, ...)                                                        \
	S(__VA_ARGS__, svm_vmrun_no_vmrun_intercept, "svm vmrun", conf_svm_unsupported,           \
	  base_ran, INVALID, "when the VMRUN intercept bit is clear", "APM vol. 2 §15.5.1",       \
	  CC_STEP("VMRUN without the VMRUN intercept", m_no_vmrun_intercept))

#define CONF_CC_ASID_NONZERO(S, N, ...)                                                           \
	S(__VA_ARGS__, svm_vmrun_asid_zero, "svm vmrun", conf_svm_unsupported, base_ran,          \
	  INVALID, "when ASID = 0", "APM vol. 2 §15.5.1",                                         \
	  CC_STEP("VMRUN with ASID 0", m_asid_zero))

#define CONF_CC_EFER_SVME(S, N, ...)                                                              \
	S(__VA_ARGS__, svm_vmrun_efer_svme_clear, "svm vmrun", conf_svm_unsupported,              \
	  base_ran, INVALID, "when the guest's EFER.SVME = 0", "APM vol. 2 §15.5.1",              \
	  CC_STEP("VMRUN with EFER.SVME = 0", m_efer_svme_clear))

#define CONF_CC_EFER_MBZ(S, N, ...)                                                               \
	S(__VA_ARGS__, svm_vmrun_efer_mbz, "svm vmrun", conf_svm_unsupported, base_ran,           \
	  INVALID, "when a must-be-zero bit of EFER (bit 63) is set",                             \
	  "APM vol. 2 §15.5.1, §3.1.7", CC_STEP("VMRUN with EFER[63] = 1", m_efer_63))

#define CONF_CC_CR0_CD_NW(S, N, ...)                                                              \
	S(__VA_ARGS__, svm_vmrun_cr0_nw_without_cd, "svm vmrun", conf_svm_unsupported,            \
	  base_ran, INVALID, "when CR0.CD = 0 and CR0.NW = 1", "APM vol. 2 §15.5.1",              \
	  CC_STEP("VMRUN with CR0.CD = 0, CR0.NW = 1", m_cr0_nw_without_cd))                      \
	S(__VA_ARGS__, svm_vmrun_cr0_cd_legal, "svm vmrun", conf_svm_unsupported,                 \
	  base_ran, LEGAL, "with CR0.CD = 1 and NW = 0, and with CR0.CD = 1 and NW = 1",          \
	  "APM vol. 2 §15.5.1, §3.1.1",                                                           \
	  CC_STEP("VMRUN with CR0.CD = 1, NW = 0", m_cr0_cd),                                     \
	  CC_STEP("VMRUN with CR0.CD = 1, NW = 1", m_cr0_cd_nw))

#define CONF_CC_CR0_HIGH(S, N, ...)                                                               \
	S(__VA_ARGS__, svm_vmrun_cr0_high_bits, "svm vmrun", conf_svm_unsupported,                \
	  base_ran, INVALID, "when CR0[63:32] is not zero", "APM vol. 2 §15.5.1",                 \
	  CC_STEP("VMRUN with CR0[32] = 1", m_cr0_32))

#define CONF_CC_CR4_MBZ(S, N, ...)                                                                \
	S(__VA_ARGS__, svm_vmrun_cr4_reserved, "svm vmrun", conf_svm_unsupported,                 \
	  base_ran, INVALID, "when a must-be-zero bit of CR4 (bit 63) is set",                    \
	  "APM vol. 2 §15.5.1, §3.1.3", CC_STEP("VMRUN with CR4[63] = 1", m_cr4_63))

#define CONF_CC_CR3_MBZ_LONG(S, N, ...)                                                           \
	S(__VA_ARGS__, svm_vmrun_cr3_mbz, "svm vmrun", conf_svm_unsupported, base_ran,            \
	  INVALID, "when a must-be-zero bit of CR3 (bit 52, long mode) is set",                   \
	  "APM vol. 2 §15.5.1, §3.1.2", CC_STEP("VMRUN with CR3[52] = 1", m_cr3_52))

#define CONF_CC_DR6_DR7_HIGH(S, N, ...)                                                           \
	S(__VA_ARGS__, svm_vmrun_dr6_high_bits, "svm vmrun", conf_svm_unsupported,                \
	  base_ran, INVALID, "when DR6[63:32] is not zero", "APM vol. 2 §15.5.1",                 \
	  CC_STEP("VMRUN with DR6[32] = 1", m_dr6_32))                                            \
	S(__VA_ARGS__, svm_vmrun_dr7_high_bits, "svm vmrun", conf_svm_unsupported,                \
	  base_ran, INVALID, "when DR7[63:32] is not zero", "APM vol. 2 §15.5.1",                 \
	  CC_STEP("VMRUN with DR7[32] = 1", m_dr7_32))

#define CONF_CC_LONG_PAE(S, N, ...)                                                               \
	S(__VA_ARGS__, svm_vmrun_long_mode_without_pae, "svm vmrun", conf_svm_unsupported,        \
	  base_ran, INVALID, "when EFER.LME = CR0.PG = 1 and CR4.PAE = 0",                        \
	  "APM vol. 2 §15.5.1", CC_STEP("VMRUN with LME = PG = 1, PAE = 0", m_pae_clear))

#define CONF_CC_LONG_PE(S, N, ...)                                                                \
	S(__VA_ARGS__, svm_vmrun_long_mode_without_pe, "svm vmrun", conf_svm_unsupported,         \
	  base_ran, INVALID, "when EFER.LME = CR0.PG = 1 and CR0.PE = 0",                         \
	  "APM vol. 2 §15.5.1", CC_STEP("VMRUN with LME = PG = 1, PE = 0", m_pe_clear))

#define CONF_CC_CS_L_D(S, N, ...)                                                                 \
	S(__VA_ARGS__, svm_vmrun_cs_l_and_d, "svm vmrun", conf_svm_unsupported,                   \
	  base_ran, INVALID, "when EFER.LME, CR0.PG, CR4.PAE, CS.L and CS.D are all 1",           \
	  "APM vol. 2 §15.5.1", CC_STEP("VMRUN with CS.L = CS.D = 1", m_cs_l_d))

/*
 * The permission maps at 2^MAXPHYADDR - x: MSRPM 8 KiB (§15.11), IOPM 8 KiB
 * + 1 byte (64K + 3 bits, §15.10.1), bits 11:0 of a base ignored, checked
 * whether the map's intercept is on or off.
 */
#define CONF_CC_MSRPM_MAXPHYADDR(S, N, ...)                                                       \
	S(__VA_ARGS__, svm_vmrun_msrpm_last_byte_at_max, "svm vmrun", conf_svm_unsupported,       \
	  base_ran, INVALID,                                                                      \
	  "when the MSR permission map starts at 2^MAXPHYADDR - 2000h, so that its 8 KiB end at " \
	  "the maximum physical address 2^MAXPHYADDR - 1",                                        \
	  "APM vol. 2 §15.5.1, §15.11",                                                           \
	  CC_STEP("VMRUN with the MSRPM at 2^MAXPHYADDR - 2000h, intercept on", m_msrpm_2000))    \
	S(__VA_ARGS__, svm_vmrun_msrpm_base_low_bits_ignored, "svm vmrun",                        \
	  conf_svm_unsupported, base_ran, INVALID,                                                \
	  "when the MSR permission map base is 2^MAXPHYADDR - 1FFFh: bits 11:0 of the base are "  \
	  "ignored, so the map is the one at 2^MAXPHYADDR - 2000h",                               \
	  "APM vol. 2 §15.5.1, §15.11",                                                           \
	  CC_STEP("VMRUN with the MSRPM at 2^MAXPHYADDR - 1fffh, intercept on", m_msrpm_1fff))    \
	S(__VA_ARGS__, svm_vmrun_msrpm_beyond_maxphyaddr, "svm vmrun", conf_svm_unsupported,      \
	  base_ran, INVALID,                                                                      \
	  "when the MSR permission map starts at 2^MAXPHYADDR - 1000h and extends past the "      \
	  "maximum physical address",                                                             \
	  "APM vol. 2 §15.5.1, §15.11",                                                           \
	  CC_STEP("VMRUN with the MSRPM at 2^MAXPHYADDR - 1000h, intercept on", m_msrpm_1000))    \
	S(__VA_ARGS__, svm_vmrun_msrpm_checked_without_intercept, "svm vmrun",                    \
	  conf_svm_unsupported, base_ran, INVALID,                                                \
	  "when the MSR permission map starts at 2^MAXPHYADDR - 1000h while the MSR_PROT "        \
	  "intercept is clear: the check does not depend on it",                                  \
	  "APM vol. 2 §15.5.1, §15.11",                                                           \
	  CC_STEP("VMRUN with the MSRPM at 2^MAXPHYADDR - 1000h, intercept off",                  \
		  m_msrpm_1000_off))

#define CONF_CC_IOPM_MAXPHYADDR(S, N, ...)                                                        \
	S(__VA_ARGS__, svm_vmrun_iopm_below_maxphyaddr, "svm vmrun", conf_svm_unsupported,        \
	  base_ran, LEGAL,                                                                        \
	  "with the I/O permission map at 2^MAXPHYADDR - 4000h, - 3000h and - 2002h (bits 11:0 "  \
	  "ignored: - 3000h again): the 8 KiB + 1 byte VMRUN checks end below the maximum "       \
	  "physical address, though the 12 KiB allocated for the map would not",                  \
	  "APM vol. 2 §15.5.1, §15.10.1",                                                         \
	  CC_STEP("VMRUN with the IOPM at 2^MAXPHYADDR - 4000h", m_iopm_4000),                    \
	  CC_STEP("VMRUN with the IOPM at 2^MAXPHYADDR - 3000h", m_iopm_3000),                    \
	  CC_STEP("VMRUN with the IOPM at 2^MAXPHYADDR - 2002h", m_iopm_2002))                    \
	S(__VA_ARGS__, svm_vmrun_iopm_last_byte_beyond, "svm vmrun", conf_svm_unsupported,        \
	  base_ran, INVALID,                                                                      \
	  "when the I/O permission map starts at 2^MAXPHYADDR - 2000h: its two pages end at the " \
	  "maximum physical address and the byte after them is past it",                          \
	  "APM vol. 2 §15.5.1, §15.10.1",                                                         \
	  CC_STEP("VMRUN with the IOPM at 2^MAXPHYADDR - 2000h, intercept on", m_iopm_2000))      \
	S(__VA_ARGS__, svm_vmrun_iopm_beyond_maxphyaddr, "svm vmrun", conf_svm_unsupported,       \
	  base_ran, INVALID,                                                                      \
	  "when the I/O permission map starts at 2^MAXPHYADDR - 1000h and extends past the "      \
	  "maximum physical address",                                                             \
	  "APM vol. 2 §15.5.1, §15.10.1",                                                         \
	  CC_STEP("VMRUN with the IOPM at 2^MAXPHYADDR - 1000h, intercept on", m_iopm_1000))      \
	S(__VA_ARGS__, svm_vmrun_iopm_checked_without_intercept, "svm vmrun",                     \
	  conf_svm_unsupported, base_ran, INVALID,                                                \
	  "when the I/O permission map starts at 2^MAXPHYADDR - 1000h while the IOIO_PROT "       \
	  "intercept is clear: the check does not depend on it",                                  \
	  "APM vol. 2 §15.5.1, §15.10.1",                                                         \
	  CC_STEP("VMRUN with the IOPM at 2^MAXPHYADDR - 1000h, intercept off", m_iopm_1000_off))

#define CONF_CC_SEV_OFF(S, N, ...)                                                                \
	N(__VA_ARGS__,                                                                            \
	  "the outcome differs by platform: the model, which has no SEV, refuses SEV_ENABLE; "    \
	  "a processor with SEV (CPUID Fn8000_001F EAX[1]) runs such a guest when the "           \
	  "firmware has keyed its ASID, which the suite does not do; QEMU, without SEV, "         \
	  "leaves the bit alone. tests/emu/test_checks.c checks the model's answer")

#define CONF_CC_NP_SUPPORTED(S, N, ...)                                                           \
	N(__VA_ARGS__,                                                                            \
	  "only a processor without nested paging (CPUID Fn8000_000A EDX[0] = 0) can break "      \
	  "it, and portable code cannot take the feature away: the model runs with it by "        \
	  "default and QEMU has it. tests/emu/test_checks.c runs the model without it")

#define CONF_CC_NCR3_MAXPHYADDR(S, N, ...)                                                        \
	S(__VA_ARGS__, svm_vmrun_nested_cr3_beyond_maxphyaddr, "svm vmrun npt",                   \
	  conf_npt_unsupported, base_npt_ran, INVALID,                                            \
	  "when nested paging is on and nested_cr3 is at 2^MAXPHYADDR, beyond the physical "      \
	  "address width",                                                                        \
	  "APM vol. 2 §15.25.4; include/x86/svm_checks.h NCR3_MAXPHYADDR",                        \
	  CC_STEP("VMRUN with nested_cr3 = 2^MAXPHYADDR", m_ncr3_maxphyaddr))

#define CONF_CC_G_PAT_TYPES(S, N, ...)                                                            \
	S(__VA_ARGS__, svm_vmrun_g_pat_reserved_type, "svm vmrun npt", conf_npt_unsupported,      \
	  base_npt_ran, INVALID,                                                                  \
	  "when nested paging is on and a g_pat entry holds the reserved memory type 2",          \
	  "APM vol. 2 §15.25.8, vol. 2 §7.8.1; include/x86/svm_checks.h G_PAT_TYPES",             \
	  CC_STEP("VMRUN with g_pat[7:0] = 2", m_g_pat_type2))

#define CONF_CC_VNMI_NMI_INTERCEPT(S, N, ...)                                                     \
	S(__VA_ARGS__, svm_vnmi_enable_without_nmi_intercept, "svm vnmi", conf_vnmi_unsupported,  \
	  base_vnmi_ran, INVALID, "when V_NMI_ENABLE = 1 and the NMI intercept is clear",         \
	  "APM vol. 2 §15.21.10",                                                                 \
	  CC_STEP("VMRUN with V_NMI_ENABLE, no NMI intercept", m_no_nmi_intercept))

/*
 * EVENTINJ (§15.20) as its own scenarios always ran it: from the guest as
 * built, with no VMRUN before the injection.
 */
#define CONF_CC_EVENTINJ(S, N, ...)                                                               \
	S(__VA_ARGS__, svm_eventinj_exception_vector2_invalid, "svm eventinj",                    \
	  conf_svm_unsupported, base_built, INVALID,                                              \
	  "for TYPE = EXCEPTION with vector 2 (an NMI is not an exception)", "APM vol. 2 §15.20", \
	  CC_STEP("VMRUN injecting exception vector 2", m_inject_exception_2))                    \
	S(__VA_ARGS__, svm_eventinj_exception_vector32_invalid, "svm eventinj",                   \
	  conf_svm_unsupported, base_built, INVALID,                                              \
	  "for TYPE = EXCEPTION with vector 32, which is not an exception vector",                \
	  "APM vol. 2 §15.20",                                                                    \
	  CC_STEP("VMRUN injecting exception vector 32", m_inject_exception_32))                  \
	S(__VA_ARGS__, svm_eventinj_br_in_long_mode_invalid, "svm eventinj",                      \
	  conf_svm_unsupported, base_built, INVALID,                                              \
	  "for an injected #BR, impossible in 64-bit mode", "APM vol. 2 §15.20",                  \
	  CC_STEP("VMRUN injecting #BR in 64-bit mode", m_inject_br))                             \
	S(__VA_ARGS__, svm_eventinj_reserved_type_invalid, "svm eventinj", conf_svm_unsupported,  \
	  base_built, INVALID, "for each reserved TYPE (1, 5, 6, 7)",                             \
	  "APM vol. 2 §15.20 (table 15-11)",                                                      \
	  CC_STEP("VMRUN injecting TYPE 1", m_inject_type1),                                      \
	  CC_STEP("VMRUN injecting TYPE 5", m_inject_type5),                                      \
	  CC_STEP("VMRUN injecting TYPE 6", m_inject_type6),                                      \
	  CC_STEP("VMRUN injecting TYPE 7", m_inject_type7))

#endif
