/* SPDX-License-Identifier: MIT */
/*
 * The TSC rate, measured against PIT channel 2, whose 1.193182 MHz clock
 * every PC keeps (Intel 8254 data sheet; mode 0, "interrupt on terminal
 * count", with the gate and the output on port 61h bits 0 and 5). Used only
 * to turn the benchmark's TSC ticks into seconds.
 */
#include "vx/arch.h"
#include "hw.h"

#define PIT_HZ 1193182u
#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PIT_CH2_MODE0_LOHI 0xb0
#define PORT_B 0x61
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20
#define CALIBRATE_MS 50u
/* Give up after this many TSC ticks (about 10 s at 10 GHz): a machine
 * without a working PIT must not hang the benchmark. */
#define CALIBRATE_GIVE_UP 100000000000ull

uint64_t hw_tsc_hz(void)
{
	static uint64_t hz;
	uint32_t count = PIT_HZ / 1000u * CALIBRATE_MS;
	uint64_t t0, t1;

	if (hz)
		return hz;
	hw_outb(PORT_B, (uint8_t)((hw_inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2));
	hw_outb(PIT_MODE, PIT_CH2_MODE0_LOHI);
	hw_outb(PIT_CH2, (uint8_t)(count & 0xff));
	hw_outb(PIT_CH2, (uint8_t)(count >> 8));
	t0 = arch_rdtsc();
	do
		t1 = arch_rdtsc();
	while (!(hw_inb(PORT_B) & PORT_B_OUT2) && t1 - t0 < CALIBRATE_GIVE_UP);
	if (!(hw_inb(PORT_B) & PORT_B_OUT2))
		return 0;
	hz = (t1 - t0) * 1000u / CALIBRATE_MS;
	return hz;
}
