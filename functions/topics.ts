/** The example pipeline's topics. */
export const TOPICS = {
  ordersPlaced: 'orders.placed',
  ordersValidated: 'orders.validated',
  ordersRejected: 'orders.rejected',
  stockReserved: 'stock.reserved',
  emailNotifications: 'notifications.email',
  smsNotifications: 'notifications.sms',
  /** Avro, Confluent-framed, from the payment provider (its schema in a schema registry). */
  paymentsReceived: 'payments.avro',
  paymentsRecorded: 'payments.recorded',
} as const;
