import { Text, View } from "@react-pdf/renderer";
import type { DocumentContext } from "./context.ts";
import { styles } from "./styles.ts";

export interface Fact {
  label: string;
  value: string;
}

/** Who is billed on the left, the document's key dates and references on the right. */
export function Details({ ctx, facts }: { ctx: DocumentContext; facts: Fact[] }) {
  const { billTo } = ctx.data;
  return (
    <View style={styles.details}>
      <View style={styles.party}>
        <Text style={styles.label}>{ctx.labels.billTo}</Text>
        {billTo.name ? <Text style={styles.strong}>{billTo.name}</Text> : null}
        {billTo.addressLines.map((line, i) => (
          <Text key={i}>{line}</Text>
        ))}
        <Text style={styles.muted}>{billTo.email}</Text>
      </View>
      <View style={styles.facts}>
        {facts.map((fact) => (
          <View key={fact.label} style={styles.fact}>
            <Text style={styles.muted}>{fact.label}</Text>
            <Text style={styles.strong}>{fact.value}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
