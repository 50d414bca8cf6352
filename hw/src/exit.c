/* SPDX-License-Identifier: MIT */
/*
 * The end of a run. The image says how it ended, then writes the code to
 * the isa-debug-exit port, which under QEMU ends the emulator with status
 * (code << 1) | 1. QEMU also exits 1 when it fails on its own, so
 * hw/run-qemu.sh trusts that status only after this last line. Bochs has no
 * such device: XCHG BX,BX, an architectural no-op, is its magic breakpoint,
 * which hw/run-bochs.sh turns into the end of the emulator; the code then
 * comes from the last line alone. On a machine without either the image
 * halts.
 */
#include "hw.h"
#include "hw_asm.h"

static bool end_in_xml;

void hw_exit_in_xml(void)
{
	end_in_xml = true;
}

void hw_exit(enum hw_exit_code code)
{
	/* After a JUnit report, a comment keeps the document well-formed. */
	if (end_in_xml)
		hw_printf("<!-- vxemu-hw: finished with exit code %u -->\n", (unsigned)code);
	else
		hw_printf("# vxemu-hw: finished with exit code %u\n", (unsigned)code);
	hw_serial_drain();
	hw_outl(HW_DEBUG_EXIT_PORT, code);
	__asm__ volatile("xchgw %%bx, %%bx" ::: "memory");
	for (;;)
		__asm__ volatile("cli; hlt");
}
