// Svelte compiler options shared by Vite and svelte-check. Svelte 5 reads TypeScript itself, so no preprocessor.
export default {
  compilerOptions: {
    runes: true,
  },
};
