/* SPDX-License-Identifier: MIT */
/*
 * The suite, in a fixed order: results line up between runs and platforms.
 * Order: the hv core's run loop, VMRUN consistency checks, intercepts,
 * physical and virtual interrupts and GIF, event injection, NMIs without
 * vNMI, vNMI, then MP states. The scenarios that need several processors
 * (conformance/src/mp/boot.c, wake.c) join the list once every runner of
 * the suite gives them 4 processors, so that they run instead of skipping.
 */
#include <stddef.h>

#include "conf/conf.h"

#define CONF_SUITE(X) \
	X(svm_core_hypercall_exit) \
	X(svm_core_io_exit) \
	X(svm_core_hlt_exit) \
	X(svm_core_cpuid_handled) \
	X(svm_core_guest_exception_exit) \
	X(svm_core_fail_entry) \
	X(svm_vmrun_no_vmrun_intercept) \
	X(svm_vmrun_asid_zero) \
	X(svm_vmrun_efer_svme_clear) \
	X(svm_vmrun_efer_mbz) \
	X(svm_vmrun_cr0_nw_without_cd) \
	X(svm_vmrun_cr0_cd_legal) \
	X(svm_vmrun_cr0_high_bits) \
	X(svm_vmrun_cr3_mbz) \
	X(svm_vmrun_cr4_reserved) \
	X(svm_vmrun_dr6_high_bits) \
	X(svm_vmrun_dr7_high_bits) \
	X(svm_vmrun_long_mode_without_pae) \
	X(svm_vmrun_long_mode_without_pe) \
	X(svm_vmrun_cs_l_and_d) \
	X(svm_vmrun_msrpm_last_byte_at_max) \
	X(svm_vmrun_msrpm_base_low_bits_ignored) \
	X(svm_vmrun_msrpm_beyond_maxphyaddr) \
	X(svm_vmrun_msrpm_checked_without_intercept) \
	X(svm_vmrun_iopm_below_maxphyaddr) \
	X(svm_vmrun_iopm_last_byte_beyond) \
	X(svm_vmrun_iopm_beyond_maxphyaddr) \
	X(svm_vmrun_iopm_checked_without_intercept) \
	X(svm_vmrun_nested_cr3_beyond_maxphyaddr) \
	X(svm_vmrun_g_pat_reserved_type) \
	X(svm_vmrun_invalid_exit_code) \
	X(svm_intercept_cpuid) \
	X(svm_intercept_hlt) \
	X(svm_intercept_vmmcall) \
	X(svm_vmmcall_unintercepted_ud) \
	X(svm_intercept_invlpg) \
	X(svm_intercept_invlpg_fs) \
	X(svm_intercept_iret) \
	X(svm_intercept_vmrun_in_guest) \
	X(svm_intercept_shutdown) \
	X(svm_intercept_ioio_out) \
	X(svm_intercept_ioio_in_multibyte) \
	X(svm_intercept_msr_read) \
	X(svm_intercept_msr_write) \
	X(svm_intercept_cr_read) \
	X(svm_intercept_cr_write) \
	X(svm_intercept_selective_cr0) \
	X(svm_intercept_lmsw_cr0_write) \
	X(svm_intercept_lmsw_selective) \
	X(svm_intercept_clts) \
	X(svm_intercept_smsw) \
	X(svm_intercept_dr7) \
	X(svm_intercept_exception_ud) \
	X(svm_intercept_exception_de) \
	X(svm_intercept_exception_bp) \
	X(svm_nrip_save) \
	X(svm_guest_paging_remap) \
	X(svm_guest_paging_remap_npt) \
	X(svm_guest_paging_alias) \
	X(svm_npt_translates) \
	X(svm_npt_store_sets_dirty) \
	X(svm_npt_fault_not_present) \
	X(svm_npt_fault_write_protect) \
	X(svm_npt_fault_guest_table) \
	X(svm_npt_insn_bytes) \
	X(svm_npt_eventinj_gate_absent) \
	X(svm_npt_eventinj_stack_absent) \
	X(svm_npt_exception_gate_absent) \
	X(svm_npt_intr_gate_absent) \
	X(svm_npt_virq_gate_absent) \
	X(svm_npt_vnmi_gate_absent) \
	X(svm_npt_core_reinjects_nmi) \
	X(svm_intercept_insn_len_cleared) \
	X(svm_intercept_intr) \
	X(svm_intr_to_guest_idt) \
	X(svm_intr_held_by_guest_if) \
	X(svm_intr_held_by_host_if) \
	X(svm_intr_host_if_set_exits) \
	X(svm_host_irq_waits_for_gif) \
	X(svm_intercept_nmi) \
	X(svm_gif_holds_nmi) \
	X(svm_gif_insns_need_svme) \
	X(svm_guest_clgi_intercept) \
	X(svm_guest_stgi_intercept) \
	X(svm_guest_clgi_stgi_run) \
	X(svm_guest_clgi_holds_nmi) \
	X(svm_intercept_vintr) \
	X(svm_virq_delivered) \
	X(svm_virq_held_by_vtpr) \
	X(svm_virq_held_by_if) \
	X(svm_vtpr_cr8) \
	X(svm_eventinj_exception_error_code) \
	X(svm_eventinj_not_intercepted) \
	X(svm_eventinj_intr) \
	X(svm_eventinj_soft_int) \
	X(svm_eventinj_nmi_ignores_vector) \
	X(svm_eventinj_delivery_fault_exitintinfo) \
	X(svm_eventinj_exception_vector2_invalid) \
	X(svm_eventinj_exception_vector32_invalid) \
	X(svm_eventinj_br_in_long_mode_invalid) \
	X(svm_eventinj_reserved_type_invalid) \
	X(svm_nmi_inject_eventinj) \
	X(svm_nmi_iret_intercept_armed) \
	X(svm_nmi_unmasked_after_iret) \
	X(svm_nmi_mask_held_until_iret_retires) \
	X(svm_nmi_second_after_iret) \
	X(svm_nmi_one_plus_one) \
	X(svm_nmi_interrupt_shadow) \
	X(svm_nmi_set_mask_defers) \
	X(svm_vnmi_enable_without_nmi_intercept) \
	X(svm_vnmi_pending_delivered) \
	X(svm_vnmi_delivery_sets_mask) \
	X(svm_vnmi_iret_clears_mask) \
	X(svm_vnmi_masked_stays_pending) \
	X(svm_vnmi_int_vector_2_not_injected) \
	X(svm_vnmi_exit_during_delivery_pf) \
	X(svm_vnmi_exit_during_delivery_idt) \
	X(svm_vnmi_interrupt_shadow) \
	X(svm_vnmi_second_waits_for_iret) \
	X(svm_vnmi_eventinj_sets_mask) \
	X(svm_vnmi_vmrun_sets_gif) \
	X(svm_vnmi_core_mask_roundtrip) \
	X(svm_vnmi_core_queue_limit) \
	X(svm_mp_state_get_set) \
	X(svm_mp_ap_boot) \
	X(svm_mp_sipi_without_init) \
	X(svm_mp_second_sipi_ignored) \
	X(svm_mp_init_deassert_ignored) \
	X(svm_mp_init_running_ap) \
	X(svm_mp_hlt_wake_fixed_ipi) \
	X(svm_mp_kick_running_vcpu) \
	X(svm_mp_sw_disabled_drops_fixed) \
	X(svm_xapic_ap_boot) \
	X(svm_xapic_regs) \
	X(svm_xapic_tpr_ppr) \
	X(svm_xapic_fixed_ipi) \
	X(svm_xapic_mov_forms) \
	X(svm_xapic_segment_override) \
	X(svm_xapic_reserved_offset) \
	X(svm_xapic_unsupported_insn) \
	X(svm_xapic_to_x2apic) \
	X(svm_xapic_base_transitions) \
	X(svm_xapic_disable_enable) \
	X(svm_xapic_disabled_drops_ipi) \
	X(svm_vmmem_scan) \
	X(svm_vmmem_walk_large_ram) \
	X(svm_vmmem_guest_tables_beyond_memory) \
	X(svm_vmmem_nested_tables_beyond_memory) \
	X(mp_host_init_sipi_start) \
	X(mp_host_sipi_without_init_ignored) \
	X(mp_host_second_sipi_ignored) \
	X(mp_host_init_deassert_ignored) \
	X(svm_init_held_while_gif_clear) \
	X(svm_init_intercept_vmexit) \
	X(svm_init_not_intercepted_resets) \
	X(apic_version) \
	X(apic_id_per_processor) \
	X(apic_svr_disable_masks_lvt) \
	X(apic_tpr_ppr) \
	X(apic_esr_send_illegal_vector) \
	X(apic_host_irq_waits_for_if) \
	X(svm_apic_fixed_irr_isr_eoi) \
	X(svm_apic_icr_idle_after_delivery) \
	X(svm_apic_svr_disabled_drops_fixed) \
	X(svm_apic_irr_priority_order) \
	X(svm_apic_tpr_holds_fixed) \
	X(svm_apic_ppr_follows_isr) \
	X(svm_apic_nmi_held_by_gif) \
	X(svm_apic_ipi_fixed_physical) \
	X(svm_apic_ipi_all_but_self) \
	X(svm_apic_ipi_logical_flat) \
	X(apic_ipi_nmi_other_processor) \
	X(apic_timer_oneshot_counts_down) \
	X(svm_apic_timer_oneshot_fires) \
	X(svm_apic_timer_periodic_reloads) \
	X(apic_timer_divide_rate) \
	X(apic_timer_mode_change_keeps_count) \
	X(apic_timer_expired_to_periodic_stays_zero) \
	X(apic_tsc_deadline_msr_outside_mode) \
	X(svm_apic_tsc_deadline_past_fires) \
	X(svm_apic_tsc_deadline_zero_disarms) \

#define CONF_SUITE_DECLARE(id) extern const struct conf_scenario conf_sc_##id;
#define CONF_SUITE_ENTRY(id) &conf_sc_##id,

CONF_SUITE(CONF_SUITE_DECLARE)

const struct conf_scenario *const conf_suite[] = { CONF_SUITE(CONF_SUITE_ENTRY) };
const size_t conf_suite_len = sizeof(conf_suite) / sizeof(conf_suite[0]);
