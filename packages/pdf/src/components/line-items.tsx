import { Text, View } from "@react-pdf/renderer";
import type { DocumentContext } from "./context.ts";
import { styles } from "./styles.ts";

/** The lines: description with its period beneath, then quantity, unit price and amount, right-aligned. */
export function LineItems({ ctx }: { ctx: DocumentContext }) {
  const { data, format, labels } = ctx;
  return (
    <View>
      <View style={[styles.tableHeader, styles.label]} fixed>
        <Text style={styles.descriptionCell}>{labels.description}</Text>
        <Text style={styles.quantityCell}>{labels.quantity}</Text>
        <Text style={styles.amountCell}>{labels.unitPrice}</Text>
        <Text style={styles.amountCell}>{labels.amount}</Text>
      </View>
      {data.lines.map((line, i) => (
        // A line is never split across pages.
        <View key={i} style={styles.row} wrap={false}>
          <View style={styles.descriptionCell}>
            <Text>{line.description}</Text>
            {line.periodStart && line.periodEnd ? <Text style={styles.period}>{format.period(line.periodStart, line.periodEnd)}</Text> : null}
          </View>
          <Text style={styles.quantityCell}>{format.quantity(line.quantity)}</Text>
          <Text style={styles.amountCell}>{format.money(line.unitAmount)}</Text>
          <Text style={styles.amountCell}>{format.money(line.amount)}</Text>
        </View>
      ))}
    </View>
  );
}
