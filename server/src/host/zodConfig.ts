import {z} from 'zod';

// Imported first by the entry point, before any schema exists: zod decides when a schema is built whether
// it will compile a specialised parser (`new Function`) on first use. In the plugin's script engines that
// compiled code is paid once per schema per engine, in heap that stays as long as the engine does;
// bench/memory.sh measures the heap and the latency against a bundle without this.
z.config({jitless: true});
