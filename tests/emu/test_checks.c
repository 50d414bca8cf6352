/* SPDX-License-Identifier: MIT */
/*
 * The VMRUN consistency checks as a rule table (include/x86/svm_checks.h,
 * svm-model/checks.c): for every row, a valid long-mode guest broken in
 * that one way makes VMRUN exit with VMEXIT_INVALID, and the event stream
 * names exactly that rule (KVM's CC()). The unbroken guest names none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu/emu.h"
#include "emu/src/emu_internal.h"
#include "guest_util.h"
#include "x86/cpu.h"
#include "x86/svm.h"
#include "x86/svm_checks.h"

extern const uint8_t t64_nops[], t64_nops_end[];

/* One way to break each rule, from tg_long's valid guest. */
static void m_vmrun_intercept(struct vmcb *v)
{
	v->control.intercepts[VMCB_INTERCEPT_MISC2] &= ~INTERCEPT_VMRUN;
}
static void m_asid(struct vmcb *v) { v->control.asid = 0; }
static void m_efer_svme(struct vmcb *v) { v->save.efer &= ~X86_EFER_SVME; }
static void m_efer_mbz(struct vmcb *v) { v->save.efer |= 1ull << 63; }
static void m_cr0_cd_nw(struct vmcb *v) { v->save.cr0 = (v->save.cr0 & ~X86_CR0_CD) | X86_CR0_NW; }
static void m_cr0_high(struct vmcb *v) { v->save.cr0 |= 1ull << 32; }
static void m_cr4_mbz(struct vmcb *v) { v->save.cr4 |= 1ull << 31; }
static void m_cr3_mbz(struct vmcb *v) { v->save.cr3 |= 1ull << 52; }
static void m_dr7_high(struct vmcb *v) { v->save.dr7 |= 1ull << 32; }
static void m_long_pae(struct vmcb *v) { v->save.cr4 &= ~X86_CR4_PAE; }
static void m_long_pe(struct vmcb *v) { v->save.cr0 &= ~X86_CR0_PE; }
static void m_cs_l_d(struct vmcb *v) { v->save.cs.attrib |= X86_SEG_L | X86_SEG_DB; }
static void m_msrpm(struct vmcb *v) { v->control.msrpm_base_pa = (1ull << 40) - 0x1000; }
static void m_iopm(struct vmcb *v) { v->control.iopm_base_pa = (1ull << 40) - 0x1000; }
static void m_sev(struct vmcb *v) { v->control.nested_ctl |= SVM_NESTED_CTL_SEV_ENABLE; }
static void m_np(struct vmcb *v) { v->control.nested_ctl |= SVM_NESTED_CTL_NP_ENABLE; }
static void m_ncr3(struct vmcb *v)
{
	v->control.nested_ctl |= SVM_NESTED_CTL_NP_ENABLE;
	v->control.nested_cr3 = 1ull << 40;
}
static void m_g_pat(struct vmcb *v)
{
	v->control.nested_ctl |= SVM_NESTED_CTL_NP_ENABLE;
	v->save.g_pat = 0x0007040600070402ull; /* type 2 in byte 0: reserved */
}
static void m_vnmi(struct vmcb *v) { v->control.int_ctl |= V_NMI_ENABLE_MASK; }
static void m_eventinj(struct vmcb *v)
{
	v->control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT | 2;
}

static const struct {
	enum svm_vmrun_check rule;
	const char *id;
	void (*breaks)(struct vmcb *v);
	bool no_npt; /* on a machine without nested paging */
} rows[] = {
	{ SVM_CC_VMRUN_INTERCEPT, "VMRUN_INTERCEPT", m_vmrun_intercept, false },
	{ SVM_CC_ASID_NONZERO, "ASID_NONZERO", m_asid, false },
	{ SVM_CC_EFER_SVME, "EFER_SVME", m_efer_svme, false },
	{ SVM_CC_EFER_MBZ, "EFER_MBZ", m_efer_mbz, false },
	{ SVM_CC_CR0_CD_NW, "CR0_CD_NW", m_cr0_cd_nw, false },
	{ SVM_CC_CR0_HIGH, "CR0_HIGH", m_cr0_high, false },
	{ SVM_CC_CR4_MBZ, "CR4_MBZ", m_cr4_mbz, false },
	{ SVM_CC_CR3_MBZ_LONG, "CR3_MBZ_LONG", m_cr3_mbz, false },
	{ SVM_CC_DR6_DR7_HIGH, "DR6_DR7_HIGH", m_dr7_high, false },
	{ SVM_CC_LONG_PAE, "LONG_PAE", m_long_pae, false },
	{ SVM_CC_LONG_PE, "LONG_PE", m_long_pe, false },
	{ SVM_CC_CS_L_D, "CS_L_D", m_cs_l_d, false },
	{ SVM_CC_MSRPM_MAXPHYADDR, "MSRPM_MAXPHYADDR", m_msrpm, false },
	{ SVM_CC_IOPM_MAXPHYADDR, "IOPM_MAXPHYADDR", m_iopm, false },
	{ SVM_CC_SEV_OFF, "SEV_OFF", m_sev, false },
	{ SVM_CC_NP_SUPPORTED, "NP_SUPPORTED", m_np, true },
	{ SVM_CC_NCR3_MAXPHYADDR, "NCR3_MAXPHYADDR", m_ncr3, false },
	{ SVM_CC_G_PAT_TYPES, "G_PAT_TYPES", m_g_pat, false },
	{ SVM_CC_VNMI_NMI_INTERCEPT, "VNMI_NMI_INTERCEPT", m_vnmi, false },
	{ SVM_CC_EVENTINJ, "EVENTINJ", m_eventinj, false },
};

_Static_assert(sizeof(rows) / sizeof(rows[0]) == SVM_CC_COUNT, "a row for every rule");

static struct {
	int row;             /* the mutation applied, or -1 */
	unsigned reported;   /* HV_EV_CONSISTENCY events seen */
	uint64_t rule;
	char text[64];
	uint64_t exit_code;
} seen;

static void listen(void *user, const struct hv_event *ev)
{
	(void)user;
	if (ev->type != HV_EV_CONSISTENCY)
		return;
	seen.reported++;
	seen.rule = ev->v[0];
	snprintf(seen.text, sizeof(seen.text), "%s", ev->text ? ev->text : "");
}

static void host(void *arg)
{
	struct tguest g;

	(void)arg;
	emu_set_event_listener(emu_current_machine, listen, NULL);
	tg_svm_on();
	tg_long(&g, t64_nops, (size_t)(t64_nops_end - t64_nops));
	if (seen.row >= 0)
		rows[seen.row].breaks(g.vmcb);
	tg_run(&g);
	seen.exit_code = g.vmcb->control.exit_code;
}

static void run(int row)
{
	struct emu_config cfg;

	memset(&seen, 0, sizeof(seen));
	seen.row = row;
	emu_config_default(&cfg);
	cfg.npt = row < 0 || !rows[row].no_npt;
	assert_int_equal(tg_machine_run(&cfg, host, NULL, 0), 0);
}

static void test_valid_guest_breaks_no_rule(void **state)
{
	(void)state;
	run(-1);
	assert_int_equal(seen.exit_code, SVM_EXIT_VMMCALL);
	assert_int_equal(seen.reported, 0);
}

static void test_each_rule_names_itself(void **state)
{
	(void)state;
	for (int i = 0; i < (int)SVM_CC_COUNT; i++) {
		run(i);
		if (seen.exit_code != SVM_EXIT_ERR || seen.reported != 1 ||
		    seen.rule != rows[i].rule || strcmp(seen.text, rows[i].id) != 0)
			fail_msg("%s: exit 0x%llx, %u rules reported, the last %llu \"%s\"", rows[i].id,
				 (unsigned long long)seen.exit_code, seen.reported,
				 (unsigned long long)seen.rule, seen.text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_guest_breaks_no_rule),
		cmocka_unit_test(test_each_rule_names_itself),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
