/* The components Dashboard 2 loads from this package (see "node-red-dashboard-2" in package.json). */
export { default as UISignalwireConference } from './components/UISignalwireConference.vue';
