import { MemoryStore } from '../../src/server/store/memory-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('memory', { create: () => Promise.resolve(new MemoryStore()) });
