/* SPDX-License-Identifier: MIT */
/*
 * The VMX definitions of include/x86 against the SDM: every expected value
 * below is copied from the manual (vol. 3C chapters 25 and 28, table 31-1,
 * vol. 3D appendices A-C), not computed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "x86/msr.h"
#include "x86/vmcs_fields.h"
#include "x86/vmx.h"

static void test_exit_reason_numbers_and_names(void **state)
{
	static const struct {
		uint32_t num;
		const char *name;
	} reasons[] = {
		{ 0, "EXCEPTION_NMI" },      { 1, "EXTERNAL_INTERRUPT" }, { 2, "TRIPLE_FAULT" },
		{ 3, "INIT_SIGNAL" },        { 4, "SIPI_SIGNAL" },        { 7, "INTERRUPT_WINDOW" },
		{ 8, "NMI_WINDOW" },         { 10, "CPUID" },             { 12, "HLT" },
		{ 18, "VMCALL" },            { 27, "VMXON" },             { 28, "CR_ACCESS" },
		{ 30, "IO_INSTRUCTION" },    { 31, "RDMSR" },             { 32, "WRMSR" },
		{ 33, "INVALID_GUEST_STATE" }, { 34, "MSR_LOADING" },     { 37, "MONITOR_TRAP_FLAG" },
		{ 41, "MACHINE_CHECK" },     { 48, "EPT_VIOLATION" },     { 49, "EPT_MISCONFIG" },
		{ 52, "PREEMPTION_TIMER" },  { 55, "XSETBV" },            { 64, "XRSTORS" },
		{ 75, "NOTIFY" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		const char *got = vmx_exit_reason_name(reasons[i].num);

		if (!got || strcmp(got, reasons[i].name) != 0)
			fail_msg("reason %u: \"%s\", expected \"%s\"", reasons[i].num,
				 got ? got : "(null)", reasons[i].name);
	}
	assert_int_equal(VMX_EXIT_INIT_SIGNAL, 3);
	assert_int_equal(VMX_EXIT_SIPI_SIGNAL, 4);
	assert_int_equal(VMX_EXIT_NMI_WINDOW, 8);
	assert_int_equal(VMX_EXIT_PREEMPTION_TIMER, 52);
	/* The SDM leaves 35, 38 and 42 unassigned. */
	assert_null(vmx_exit_reason_name(35));
	assert_null(vmx_exit_reason_name(38));
	assert_null(vmx_exit_reason_name(42));
	/* Bit 31 marks a failed VM entry; the basic reason is bits 15:0. */
	assert_int_equal(VMX_EXIT_REASON_FAILED_VMENTRY, 0x80000000u);
	assert_string_equal(vmx_exit_reason_name(0x80000021u), "INVALID_GUEST_STATE");
}

static void test_insn_error_numbers(void **state)
{
	(void)state;
	assert_int_equal(VMXERR_VMLAUNCH_NONCLEAR_VMCS, 4);
	assert_int_equal(VMXERR_VMRESUME_NONLAUNCHED_VMCS, 5);
	assert_int_equal(VMXERR_ENTRY_INVALID_CONTROL_FIELD, 7);
	assert_int_equal(VMXERR_ENTRY_INVALID_HOST_STATE_FIELD, 8);
	assert_int_equal(VMXERR_VMPTRLD_INCORRECT_REVISION, 11);
	assert_int_equal(VMXERR_UNSUPPORTED_VMCS_COMPONENT, 12);
	assert_int_equal(VMXERR_VMWRITE_READ_ONLY_COMPONENT, 13);
	assert_int_equal(VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS, 26);
	assert_int_equal(VMXERR_INVEPT_INVVPID_INVALID_OPERAND, 28);
	assert_string_equal(vmx_insn_error_text(12),
			    "VMREAD/VMWRITE from/to unsupported VMCS component");
	assert_string_equal(vmx_insn_error_text(7), "VM entry with invalid control field(s)");
	/* 14, 21 and 27 are not assigned in table 31-1. */
	assert_null(vmx_insn_error_text(14));
	assert_null(vmx_insn_error_text(21));
	assert_null(vmx_insn_error_text(27));
	assert_null(vmx_insn_error_text(0));
}

static void test_field_encodings(void **state)
{
	(void)state;
	assert_int_equal(VIRTUAL_PROCESSOR_ID, 0x0000);
	assert_int_equal(GUEST_ES_SELECTOR, 0x0800);
	assert_int_equal(GUEST_TR_SELECTOR, 0x080e);
	assert_int_equal(HOST_TR_SELECTOR, 0x0c0c);
	assert_int_equal(IO_BITMAP_A, 0x2000);
	assert_int_equal(MSR_BITMAP, 0x2004);
	assert_int_equal(VM_ENTRY_MSR_LOAD_ADDR, 0x200a);
	assert_int_equal(TSC_OFFSET, 0x2010);
	assert_int_equal(EPT_POINTER, 0x201a);
	assert_int_equal(GUEST_PHYSICAL_ADDRESS, 0x2400);
	assert_int_equal(VMCS_LINK_POINTER, 0x2800);
	assert_int_equal(GUEST_IA32_EFER, 0x2806);
	assert_int_equal(GUEST_PDPTE3, 0x2810);
	assert_int_equal(HOST_IA32_EFER, 0x2c02);
	assert_int_equal(PIN_BASED_VM_EXEC_CONTROL, 0x4000);
	assert_int_equal(VM_EXIT_CONTROLS, 0x400c);
	assert_int_equal(VM_ENTRY_CONTROLS, 0x4012);
	assert_int_equal(VM_ENTRY_INTR_INFO_FIELD, 0x4016);
	assert_int_equal(SECONDARY_VM_EXEC_CONTROL, 0x401e);
	assert_int_equal(VM_INSTRUCTION_ERROR, 0x4400);
	assert_int_equal(VM_EXIT_REASON, 0x4402);
	assert_int_equal(IDT_VECTORING_INFO_FIELD, 0x4408);
	assert_int_equal(GUEST_INTERRUPTIBILITY_INFO, 0x4824);
	assert_int_equal(GUEST_ACTIVITY_STATE, 0x4826);
	assert_int_equal(GUEST_SYSENTER_CS, 0x482a);
	assert_int_equal(VMX_PREEMPTION_TIMER_VALUE, 0x482e);
	assert_int_equal(HOST_IA32_SYSENTER_CS, 0x4c00);
	assert_int_equal(CR3_TARGET_VALUE3, 0x600e);
	assert_int_equal(EXIT_QUALIFICATION, 0x6400);
	assert_int_equal(GUEST_LINEAR_ADDRESS, 0x640a);
	assert_int_equal(GUEST_CR0, 0x6800);
	assert_int_equal(GUEST_RIP, 0x681e);
	assert_int_equal(GUEST_PENDING_DBG_EXCEPTIONS, 0x6822);
	assert_int_equal(GUEST_SYSENTER_EIP, 0x6826);
	assert_int_equal(HOST_CR0, 0x6c00);
	assert_int_equal(HOST_RIP, 0x6c16);
}

/* §25.11.2: the encoding's bit fields, on encodings written out by hand. */
static void test_encoding_bit_fields(void **state)
{
	(void)state;
	assert_int_equal(vmcs_field_width(0x4826), VMCS_WIDTH_32);
	assert_int_equal(vmcs_field_type(0x4826), VMCS_TYPE_GUEST);
	assert_int_equal(vmcs_field_index(0x4826), 0x13);
	assert_int_equal(vmcs_field_width(0x0c0c), VMCS_WIDTH_16);
	assert_int_equal(vmcs_field_type(0x0c0c), VMCS_TYPE_HOST);
	assert_int_equal(vmcs_field_width(0x2001), VMCS_WIDTH_64);
	assert_true(vmcs_field_is_high(0x2001));
	assert_false(vmcs_field_is_high(0x2000));
	assert_int_equal(vmcs_field_type(0x2400), VMCS_TYPE_READ_ONLY);
	assert_int_equal(vmcs_field_width(0x6400), VMCS_WIDTH_NATURAL);
	assert_int_equal(vmcs_field_type(0x6400), VMCS_TYPE_READ_ONLY);
	assert_int_equal(vmcs_field_type(0x401e), VMCS_TYPE_CONTROL);
	assert_int_equal(vmcs_field_index(0x401e), 15);
	assert_int_equal(vmcs_field_type(0x6c16), VMCS_TYPE_HOST);
	assert_int_equal(vmcs_field_width(0x6c16), VMCS_WIDTH_NATURAL);
	assert_int_equal(vmcs_field_index(0x6c16), 11);
}

/* Each listed field's encoding sits in the appendix B group its name says. */
static void test_every_field_in_its_group(void **state)
{
	static const struct {
		uint32_t enc;
		const char *name;
	} all[] = {
#define ROW(enc, name) { enc, #name },
		VMCS_FIELDS(ROW)
#undef ROW
	};

	(void)state;
	assert_int_equal(sizeof(all) / sizeof(all[0]), VMCS_FIELD_COUNT);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		uint32_t e = all[i].enc;
		const char *n = all[i].name;
		int type = vmcs_field_type(e);

		if (e & 0xffff9001u)
			fail_msg("%s: 0x%x has a reserved bit or the high access type", n, e);
		if (strncmp(n, "GUEST_", 6) == 0 && strcmp(n, "GUEST_PHYSICAL_ADDRESS") != 0 &&
		    strcmp(n, "GUEST_LINEAR_ADDRESS") != 0 && type != VMCS_TYPE_GUEST)
			fail_msg("%s: 0x%x is not guest state", n, e);
		if (strncmp(n, "HOST_", 5) == 0 && type != VMCS_TYPE_HOST)
			fail_msg("%s: 0x%x is not host state", n, e);
		if (i > 0 && all[i - 1].enc >= e)
			fail_msg("%s: 0x%x out of the appendix's order", n, e);
	}
}

static void test_control_bits(void **state)
{
	(void)state;
	assert_int_equal(PIN_BASED_EXTERNAL_INTERRUPT_EXITING, 0x1);
	assert_int_equal(PIN_BASED_NMI_EXITING, 0x8);
	assert_int_equal(PIN_BASED_VIRTUAL_NMIS, 0x20);
	assert_int_equal(PIN_BASED_VMX_PREEMPTION_TIMER, 0x40);
	assert_int_equal(CPU_BASED_INTERRUPT_WINDOW_EXITING, 0x4);
	assert_int_equal(CPU_BASED_HLT_EXITING, 0x80);
	assert_int_equal(CPU_BASED_CR3_LOAD_EXITING, 0x8000);
	assert_int_equal(CPU_BASED_NMI_WINDOW_EXITING, 0x400000);
	assert_int_equal(CPU_BASED_USE_IO_BITMAPS, 0x2000000);
	assert_int_equal(CPU_BASED_USE_MSR_BITMAPS, 0x10000000);
	assert_int_equal(CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, 0x80000000u);
	assert_int_equal(SECONDARY_EXEC_ENABLE_EPT, 0x2);
	assert_int_equal(SECONDARY_EXEC_ENABLE_VPID, 0x20);
	assert_int_equal(SECONDARY_EXEC_UNRESTRICTED_GUEST, 0x80);
	assert_int_equal(VM_EXIT_HOST_ADDRESS_SPACE_SIZE, 0x200);
	assert_int_equal(VM_EXIT_ACKNOWLEDGE_INTERRUPT_ON_EXIT, 0x8000);
	assert_int_equal(VM_EXIT_LOAD_IA32_EFER, 0x200000);
	assert_int_equal(VM_EXIT_SAVE_VMX_PREEMPTION_TIMER_VALUE, 0x400000);
	assert_int_equal(VM_ENTRY_IA32E_MODE_GUEST, 0x200);
	assert_int_equal(VM_ENTRY_LOAD_IA32_PAT, 0x4000);
	assert_int_equal(VM_ENTRY_LOAD_IA32_EFER, 0x8000);
	/* Appendix A.2, the default1 classes */
	assert_int_equal(PIN_BASED_DEFAULT1, 0x16);
	assert_int_equal(CPU_BASED_DEFAULT1, 0x0401e172);
	assert_int_equal(VM_EXIT_DEFAULT1, 0x00036dff);
	assert_int_equal(VM_ENTRY_DEFAULT1, 0x000011ff);
}

static void test_state_and_info_formats(void **state)
{
	(void)state;
	assert_int_equal(GUEST_ACTIVITY_ACTIVE, 0);
	assert_int_equal(GUEST_ACTIVITY_HLT, 1);
	assert_int_equal(GUEST_ACTIVITY_SHUTDOWN, 2);
	assert_int_equal(GUEST_ACTIVITY_WAIT_SIPI, 3);
	assert_int_equal(GUEST_INTR_STATE_STI, 1);
	assert_int_equal(GUEST_INTR_STATE_MOV_SS, 2);
	assert_int_equal(GUEST_INTR_STATE_SMI, 4);
	assert_int_equal(GUEST_INTR_STATE_NMI, 8);
	/* NMI: type 2, vector 2, valid */
	assert_int_equal(vmx_intr_info(INTR_TYPE_NMI, 2), 0x80000202u);
	/* #GP: hardware exception, vector 13, with an error code */
	assert_int_equal(vmx_intr_info(INTR_TYPE_HARDWARE_EXCEPTION, 13) | INTR_INFO_DELIVER_CODE,
			 0x80000b0du);
	assert_int_equal(INTR_INFO_NMI_UNBLOCKING_IRET, 0x1000);
	/* MOV to CR3 from RBX: CR 3, access type 0, GPR 3 (table 28-3) */
	assert_int_equal(3 | (uint64_t)CR_ACCESS_MOV_TO_CR << EXIT_QUAL_CR_ACCESS_TYPE_SHIFT |
				 3ull << EXIT_QUAL_CR_GPR_SHIFT,
			 0x303);
	assert_int_equal(CR_ACCESS_LMSW << EXIT_QUAL_CR_ACCESS_TYPE_SHIFT, 0x30);
	/* IN AL, 0x71: size 0, IN, immediate, port 0x71 (table 28-5) */
	assert_int_equal(EXIT_QUAL_IO_IN | EXIT_QUAL_IO_IMMEDIATE |
				 0x71ull << EXIT_QUAL_IO_PORT_SHIFT,
			 0x710048);
	assert_int_equal(EXIT_QUAL_IO_STRING | EXIT_QUAL_IO_REP, 0x30);
	/* EPT violation: a write to a readable, non-writable page, through a linear address (table 28-7) */
	assert_int_equal(EPT_VIOLATION_DATA_WRITE | EPT_VIOLATION_READABLE |
				 EPT_VIOLATION_GLA_VALID | EPT_VIOLATION_GLA_TRANSLATED,
			 0x18a);
	assert_int_equal(EXIT_QUAL_SIPI_VECTOR_MASK, 0xff);
	assert_int_equal(VMX_AR_UNUSABLE, 0x10000);
	assert_int_equal(VMX_AR_L, 0x2000);
	assert_int_equal(VMX_AR_RESERVED, 0xfffe0f00u);
}

static void test_ctls_valid(void **state)
{
	/* must be 1: bits 1, 2, 4; may be 1: bits 0-6 */
	const uint64_t cap = 0x0000007f00000016ull;

	(void)state;
	assert_true(vmx_ctls_valid(cap, 0x16));
	assert_true(vmx_ctls_valid(cap, 0x7f));
	assert_false(vmx_ctls_valid(cap, 0x14)); /* bit 1 must be 1 */
	assert_false(vmx_ctls_valid(cap, 0x96)); /* bit 7 may not be 1 */
}

static void test_msr_numbers(void **state)
{
	(void)state;
	assert_int_equal(MSR_IA32_FEATURE_CONTROL, 0x3a);
	assert_int_equal(MSR_FEATURE_CONTROL_LOCK, 0x1);
	assert_int_equal(MSR_FEATURE_CONTROL_VMXON_OUTSIDE_SMX, 0x4);
	assert_int_equal(MSR_IA32_VMX_BASIC, 0x480);
	assert_int_equal(MSR_IA32_VMX_MISC, 0x485);
	assert_int_equal(MSR_IA32_VMX_CR4_FIXED1, 0x489);
	assert_int_equal(MSR_IA32_VMX_VMCS_ENUM, 0x48a);
	assert_int_equal(MSR_IA32_VMX_PROCBASED_CTLS2, 0x48b);
	assert_int_equal(MSR_IA32_VMX_EPT_VPID_CAP, 0x48c);
	assert_int_equal(MSR_IA32_VMX_TRUE_PINBASED_CTLS, 0x48d);
	assert_int_equal(MSR_IA32_VMX_TRUE_ENTRY_CTLS, 0x490);
	assert_int_equal(MSR_IA32_VMX_VMFUNC, 0x491);
	assert_int_equal(VMX_MISC_ACTIVITY_HLT, 0x40);
	assert_int_equal(VMX_MISC_ACTIVITY_SHUTDOWN, 0x80);
	assert_int_equal(VMX_MISC_ACTIVITY_WAIT_SIPI, 0x100);
	assert_int_equal(VMX_MISC_VMWRITE_ANY_FIELD, 0x20000000);
	assert_int_equal(VMX_BASIC_TRUE_CTLS, 1ull << 55);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_reason_numbers_and_names),
		cmocka_unit_test(test_insn_error_numbers),
		cmocka_unit_test(test_field_encodings),
		cmocka_unit_test(test_encoding_bit_fields),
		cmocka_unit_test(test_every_field_in_its_group),
		cmocka_unit_test(test_control_bits),
		cmocka_unit_test(test_state_and_info_formats),
		cmocka_unit_test(test_ctls_valid),
		cmocka_unit_test(test_msr_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
