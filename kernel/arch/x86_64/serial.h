/**
 * @file
 * serial.h — the kernel's debug console on COM1 (16550 UART, 115200 8N1).
 */
#ifndef ARCH_X86_64_SERIAL_H
#define ARCH_X86_64_SERIAL_H

void serial_init(void);
void serial_putc(char c);

#endif
