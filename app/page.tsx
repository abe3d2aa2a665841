export default function Home() { return <p>home {String((globalThis as Record<symbol, unknown>)[Symbol.for("fg.test")])}</p>; }
