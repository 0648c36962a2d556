/** The example pipeline's topics. */
export const TOPICS = {
  ordersPlaced: 'orders.placed',
  ordersValidated: 'orders.validated',
  ordersRejected: 'orders.rejected',
  stockReserved: 'stock.reserved',
  emailNotifications: 'notifications.email',
  smsNotifications: 'notifications.sms',
} as const;
