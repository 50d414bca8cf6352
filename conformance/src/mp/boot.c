/* SPDX-License-Identifier: MIT */
/*
 * Starting application processors through the virtual x2APIC: INIT and
 * Startup IPIs and the MP states they drive (SDM vol. 3 §8.4.4, §10.6.1;
 * facts §(c), §(e) "INIT / SIPI delivery"). The guest's BSP sends the IPIs
 * with WRMSR 830h; the APs run the real-mode trampoline of mp.S.
 */
#include "../guest/payload.h"
#include "../core/backend.h"
#include "mp_util.h"

#define UNINIT HV_MP_STATE_UNINITIALIZED
#define INIT_RCVD HV_MP_STATE_INIT_RECEIVED
#define RUNNABLE HV_MP_STATE_RUNNABLE
#define HALTED HV_MP_STATE_HALTED

/* INIT, SIPI, SIPI to three APs — Expect: each climbs to long mode, reports its x2APIC ID and halts */
CONF_SCENARIO_BACKENDS(mp_ap_boot, "mp apic",
	      "Expect: after INIT and two SIPIs with the trampoline's vector, each AP starts in "
	      "real mode at vector << 12, reaches long mode, reads its own ID from x2APIC MSR "
	      "802h into its slot and halts; each AP's MP state goes UNINITIALIZED > "
	      "INIT_RECEIVED > RUNNABLE > HALTED, the second SIPI changing nothing",
	      "SDM vol. 3 §8.4.4, §10.12; facts §(c), §(e)", conf_mp_need4)
{
	static const uint32_t want[] = { UNINIT, INIT_RCVD, RUNNABLE, HALTED };
	struct conf_mp m;
	uint32_t *slots, *boots;

	if (!conf_mp_setup(ctx, &m, 4, mp_guest_boot3) || !conf_mp_run(&m))
		return;
	slots = conf_mp_u32(&m, mp_guest_slots);
	boots = conf_mp_u32(&m, mp_guest_boots);
	for (uint32_t id = 1; id < 4; id++) {
		conf_check_u64(ctx, "AP slot (its x2APIC ID)", slots[id], id);
		conf_check_u64(ctx, "AP boots (once, whatever the second SIPI)", boots[id], 1);
		conf_mp_check_states(&m, id, want, 4);
	}
	conf_check_u64(ctx, "BSP slot (untouched)", slots[0], 0);
}

/* A SIPI to an AP that had no INIT — Expect: ignored; INIT then SIPI boots it */
CONF_SCENARIO_BACKENDS(mp_sipi_without_init, "mp apic",
	      "Expect: a SIPI to an UNINITIALIZED AP is dropped (it stays UNINITIALIZED and runs "
	      "nothing); INIT makes it INIT_RECEIVED and the next SIPI starts it",
	      "SDM vol. 3 §8.4.4; facts §(e) (SIPI only consumed in INIT_RECEIVED)", conf_mp_need2)
{
	static const uint32_t want[] = { UNINIT, INIT_RCVD, RUNNABLE, HALTED };
	struct conf_mp m;

	if (!conf_mp_setup(ctx, &m, 2, mp_guest_sipi_only) || !conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "syncs", m.nsyncs, 2);
	conf_check_u64(ctx, "MP state after the lone SIPI", m.sync_state[0], UNINIT);
	conf_check_u64(ctx, "MP state after INIT", m.sync_state[1], INIT_RCVD);
	conf_check_u64(ctx, "AP boots", conf_mp_u32(&m, mp_guest_boots)[1], 1);
	conf_mp_check_states(&m, 1, want, 4);
}

/* A second SIPI to a running AP — Expect: ignored, the AP keeps running */
CONF_SCENARIO_BACKENDS(mp_second_sipi_ignored, "mp apic",
	      "Expect: a SIPI that reaches an AP already RUNNABLE is dropped: it stays RUNNABLE and "
	      "its trampoline runs once",
	      "SDM vol. 3 §8.4.4; facts §(e) (a second SIPI after RUNNABLE is ignored)",
	      conf_mp_need2)
{
	static const uint32_t want[] = { UNINIT, INIT_RCVD, RUNNABLE, HALTED };
	struct conf_mp m;

	if (!conf_mp_setup(ctx, &m, 2, mp_guest_second_sipi))
		return;
	*conf_mp_u32(&m, mp_guest_park_spin) = 1;
	if (!conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "syncs", m.nsyncs, 1);
	conf_check_u64(ctx, "MP state after the second SIPI", m.sync_state[0], RUNNABLE);
	conf_check_u64(ctx, "AP boots", conf_mp_u32(&m, mp_guest_boots)[1], 1);
	conf_mp_check_states(&m, 1, want, 4);
}

/* INIT level de-assert to a running AP — Expect: ignored */
CONF_SCENARIO_BACKENDS(mp_init_deassert_ignored, "mp apic",
	      "Expect: an INIT with trigger = level and level = 0 (ICR 8500h) does nothing: the "
	      "running AP stays RUNNABLE and is not reset",
	      "SDM vol. 3 §10.6.1 (INIT level de-assert); facts §(e)", conf_mp_need2)
{
	static const uint32_t want[] = { UNINIT, INIT_RCVD, RUNNABLE, HALTED };
	struct conf_mp m;

	if (!conf_mp_setup(ctx, &m, 2, mp_guest_deassert))
		return;
	*conf_mp_u32(&m, mp_guest_park_spin) = 1;
	if (!conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "syncs", m.nsyncs, 1);
	conf_check_u64(ctx, "MP state after the de-assert", m.sync_state[0], RUNNABLE);
	conf_check_u64(ctx, "AP boots", conf_mp_u32(&m, mp_guest_boots)[1], 1);
	conf_mp_check_states(&m, 1, want, 4);
}

/* INIT to a running AP — Expect: INIT_RECEIVED; a SIPI starts it again */
CONF_SCENARIO_BACKENDS(mp_init_running_ap, "mp apic",
	      "Expect: INIT sent to a RUNNABLE AP puts it in INIT_RECEIVED (waiting for SIPI); "
	      "the next SIPI runs the trampoline again from real mode",
	      "SDM vol. 3 §8.4.1, §10.6.1; facts §(e)", conf_mp_need2)
{
	static const uint32_t want[] = { UNINIT, INIT_RCVD, RUNNABLE, INIT_RCVD, RUNNABLE, HALTED };
	struct conf_mp m;

	if (!conf_mp_setup(ctx, &m, 2, mp_guest_init_running))
		return;
	*conf_mp_u32(&m, mp_guest_park_spin) = 1;
	if (!conf_mp_run(&m))
		return;
	conf_check_u64(ctx, "syncs", m.nsyncs, 1);
	conf_check_u64(ctx, "MP state after INIT", m.sync_state[0], INIT_RCVD);
	conf_check_u64(ctx, "AP boots", conf_mp_u32(&m, mp_guest_boots)[1], 2);
	conf_mp_check_states(&m, 1, want, 6);
}
