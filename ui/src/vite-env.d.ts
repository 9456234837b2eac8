// Ambient types for Vite (asset and CSS imports) and Svelte components.
/// <reference types="svelte" />
/// <reference types="vite/client" />
