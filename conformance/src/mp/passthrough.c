/* SPDX-License-Identifier: MIT */
/*
 * A guest that owns the processors' APICs (hv/vm.h apic_passthrough; seed
 * 001, "a lightweight HV ... does not monitor the Local APIC"): its INIT
 * and SIPIs reach the physical processors, whose VM exits the core turns
 * into wait-for-SIPI and the start of the AP (SDM vol. 3C §25.2, §26.7.4,
 * table 28-1).
 */
#include "../core/backend.h"
#include "../guest/payload.h"
#include "mp_util.h"

CONF_PAYLOAD_DECLARE(pt_guest);
CONF_PAYLOAD_LABEL(pt_guest, boot);
CONF_PAYLOAD_LABEL(pt_guest, init_only);
CONF_PAYLOAD_LABEL(pt_guest, ap64);
CONF_PAYLOAD_LABEL(pt_guest, sipi_vector);
CONF_PAYLOAD_LABEL(pt_guest, apic_ids);
CONF_PAYLOAD_LABEL(pt_guest, boots);
CONF_PAYLOAD_LABEL(pt_guest, booted_ids);

static const char *need4_wait_states(void)
{
	const char *why = conf_mp_need4();

	return why ? why : conf_wait_states_unsupported();
}

static const struct conf_mp_guest pt_guest = {
	.payload = { pt_guest_start, pt_guest_end, pt_guest_entry },
	.ap64 = pt_guest_ap64,
	.sipi_vector = pt_guest_sipi_vector,
	.apic_passthrough = true,
};

/* INIT, SIPI, SIPI through the physical APIC — Expect: INIT and SIPI exits start each AP once */
CONF_SCENARIO_VMX_BACKEND(mp_ap_boot_passthrough, "mp apic",
	      "Expect: with the guest owning the APICs, the BSP's INIT to each of three APs "
	      "(halted in the guest, UNINITIALIZED) exits on the AP's processor (exit reason 3), "
	      "the core re-enters it in wait-for-SIPI (INIT_RECEIVED); the first SIPI exits "
	      "(reason 4) with the trampoline's vector, the AP starts at vector << 12 (RUNNABLE), "
	      "reaches long mode and records the APIC ID its own APIC reports; the second SIPI "
	      "finds it active and changes nothing: three boots, one per AP, each with its "
	      "processor's APIC ID",
	      "SDM vol. 3C §25.2, §26.7.4, §28.2.1 table 28-1; seed 001", need4_wait_states)
{
	static const uint32_t want[] = { HV_MP_STATE_UNINITIALIZED, HV_MP_STATE_INIT_RECEIVED,
					 HV_MP_STATE_RUNNABLE };
	struct conf_mp m;
	uint32_t *booted, seen = 0;

	if (!conf_mp_setup_guest(ctx, &m, 4, &pt_guest, pt_guest_boot))
		return;
	/* The APs halt in the guest: nothing makes them HALTED in the core. */
	m.done_wait = HV_MP_STATE_RUNNABLE;
	if (!conf_mp_run(&m))
		return;
	booted = conf_mp_u32(&m, pt_guest_booted_ids);
	conf_check_u64(ctx, "AP boots", *conf_mp_u32(&m, pt_guest_boots), 3);
	for (uint32_t i = 0; i < 3; i++) {
		for (uint32_t id = 1; id < 4; id++)
			if (booted[i] == m.vm.vcpus[id]->host_apic_id)
				seen |= 1u << id;
	}
	conf_check_u64(ctx, "APs whose processor's APIC ID was recorded (bits 1-3)", seen, 0xe);
	for (uint32_t id = 1; id < 4; id++)
		conf_mp_check_states(&m, id, want, 3);
}

/* INIT and no SIPI — Expect: the APs wait for a SIPI in the guest, and the VM still ends */
CONF_SCENARIO_VMX_BACKEND(mp_passthrough_stop_in_wait_for_sipi, "mp apic",
	      "Expect: with the guest owning the APICs, an INIT to each of three APs leaves them "
	      "INIT_RECEIVED in wait-for-SIPI, where no interrupt gets them out; when the BSP's "
	      "guest is done the VM still ends (hv_vm_stop sends them a start-up IPI, whose exit "
	      "starts nothing): no AP boots",
	      "SDM vol. 3C §25.2, §26.7.4; hv/vm.h", need4_wait_states)
{
	static const uint32_t want[] = { HV_MP_STATE_UNINITIALIZED, HV_MP_STATE_INIT_RECEIVED };
	struct conf_mp m;

	if (!conf_mp_setup_guest(ctx, &m, 4, &pt_guest, pt_guest_init_only))
		return;
	m.done_wait = HV_MP_STATE_INIT_RECEIVED;
	if (!conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "AP boots", *conf_mp_u32(&m, pt_guest_boots), 0);
	for (uint32_t id = 1; id < 4; id++)
		conf_mp_check_states(&m, id, want, 2);
}
