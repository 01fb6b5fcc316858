/**
 * @file
 * serial.h — the kernel's debug console on COM1 (16550 UART, 115200 8N1).
 */
#pragma once

void serial_init(void);
void serial_putc(char c);
